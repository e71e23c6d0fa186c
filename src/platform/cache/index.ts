export type { Cache } from './cache.port.ts';
export { MemoryCache } from './memory-cache.ts';
export { RedisCache } from './redis-cache.ts';
export type { RedisCacheOptions } from './redis-cache.ts';
export { createCache } from './create-cache.ts';
