import type { Cache } from './cache.port.ts';
import { MemoryCache } from './memory-cache.ts';
import { RedisCache, type RedisCacheOptions } from './redis-cache.ts';

export function createCache(redisUrl: string | undefined, options: RedisCacheOptions = {}): Cache {
  return redisUrl ? new RedisCache(redisUrl, options) : new MemoryCache();
}
