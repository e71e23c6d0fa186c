import type { Config } from '../platform/config/index.ts';
import { createCache, type Cache } from '../platform/cache/index.ts';

/**
 * The shared cache of the running instances: a directory or register change retires their
 * remembered certificate verdicts (and the CRL) through it, so the CLI needs the instances' REDIS_URL.
 */
export async function withCache<T>(config: Config, work: (cache: Cache) => Promise<T>): Promise<T> {
  const cache = createCache(config.cache);
  try {
    return await work(cache);
  } finally {
    await cache.close();
  }
}
