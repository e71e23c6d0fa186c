import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Cluster, Redis } from 'ioredis';
import type { Cache } from './cache.port.ts';
import { RedisCache } from './redis-cache.ts';

/** One limit: at most `points` requests per key in each window of `durationSeconds`. */
export interface RateLimiterOptions {
  /** Names the limit's keys (`rate:accounts:client`): limits never share a counter. */
  readonly name: string;
  readonly points: number;
  readonly durationSeconds: number;
}

/** The answer for one request: admitted, or refused until `retryAfterMs` has passed. */
export type RateLimitAnswer = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterMs: number };
const ADMITTED: RateLimitAnswer = { admitted: true };

/** A rate limit keyed by caller, counted where the cache counts (Redis: every instance together). */
export interface RateLimiter {
  consume(key: string): Promise<RateLimitAnswer>;
}

/**
 * A limit over rate-limiter-flexible (a maintained library, not hand-written counters): on Redis,
 * `RateLimiterRedis` counts each key's window with one atomic Lua script (SET NX EX + INCRBY), so
 * every instance draws on the same allowance; in memory (no REDIS_URL, one process), `RateLimiterMemory`.
 * Redis is the shared cache's own connection (same URL, cluster, key prefix and timeouts), never a
 * second configuration. While Redis cannot be reached, an in-process limiter of the same figures
 * stands in (the library's insurance limiter): limits hold per instance rather than not at all, and
 * an outage of the cache does not refuse every request.
 */
export function createRateLimiter(cache: Cache, options: RateLimiterOptions): RateLimiter {
  const figures = { keyPrefix: options.name, points: options.points, duration: options.durationSeconds };
  const memory = new RateLimiterMemory(figures);
  const store = redisClientOf(cache);
  const limiter: RateLimiterAbstract = store
    ? new RateLimiterRedis({
        ...figures,
        storeClient: store,
        // Disconnected: the insurance limiter answers at once instead of each request waiting.
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
        // Once Redis said a key is over its limit, this instance refuses it locally until the window
        // ends (the count cannot go down before): a flood costs Redis one command per instance.
        inMemoryBlockOnConsumed: options.points + 1,
      })
    : memory;
  // While the shared cache's circuit is not closed (Redis failed a moment ago), the in-process
  // limiter answers at once: a limiter waiting for Redis's command timeout on every request would
  // undo what the circuit breaker is for. The cache's own commands probe Redis and close it again.
  const redisCache = cache instanceof RedisCache ? cache : undefined;
  const current = () => (redisCache && redisCache.circuit().state !== 'closed' ? memory : limiter);
  return {
    async consume(key) {
      try {
        await current().consume(key);
        return ADMITTED;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return { admitted: false, retryAfterMs: refusal.msBeforeNext };
        throw refusal;
      }
    },
  };
}

/** The Redis connection behind a Redis cache (src/platform/cache/redis-cache.ts), or none for one in memory. */
function redisClientOf(cache: Cache): Redis | Cluster | undefined {
  return cache instanceof RedisCache ? cache.rateLimitStore() : undefined;
}
