export type { Cache } from './cache.port.ts';
export { MemoryCache } from './memory-cache.ts';
export { RedisCache } from './redis-cache.ts';
export type { RedisCacheOptions } from './redis-cache.ts';
export { createCache } from './create-cache.ts';
export { Generations, freshnessNow } from './generations.ts';
export type { Freshness } from './generations.ts';
export { LocalMemo } from './local-memo.ts';
export type { LocalMemoOptions } from './local-memo.ts';
