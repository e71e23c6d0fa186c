import type { Cache } from './cache.port.ts';
import { MemoryCache } from './memory-cache.ts';
import { RedisCache, type RedisCacheOptions, type RedisLocation } from './redis-cache.ts';

/** Where the shared cache is: one Redis server, a Redis Cluster's seed nodes, or neither (in memory). */
export interface CacheLocation {
  readonly redisUrl: string | undefined;
  readonly redisClusterNodes?: readonly string[] | undefined;
  /** Prefix of every key (default `portico:`): what keeps deployments sharing a Redis server apart. */
  readonly keyPrefix?: string | undefined;
}

export function createCache(location: CacheLocation, options: RedisCacheOptions = {}): Cache {
  const redis: RedisLocation | undefined = location.redisClusterNodes ? { clusterNodes: location.redisClusterNodes } : location.redisUrl;
  if (redis === undefined) return new MemoryCache();
  return new RedisCache(redis, location.keyPrefix === undefined ? options : { keyPrefix: location.keyPrefix, ...options });
}
