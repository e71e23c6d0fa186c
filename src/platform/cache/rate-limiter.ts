import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Cluster, Redis } from 'ioredis';
import { AllowanceLeases, leaseSize, type LeaseAnswer, type LeaseOptions } from './allowance-leases.ts';
import type { Cache } from './cache.port.ts';
import { RedisCache } from './redis-cache.ts';

/** One limit: at most `points` requests per key in each window of `durationSeconds`. */
export interface RateLimiterOptions {
  /** Names the limit's keys (`rate:accounts:client`): limits never share a counter. */
  readonly name: string;
  readonly points: number;
  readonly durationSeconds: number;
  /** How an instance takes the allowance from Redis (src/platform/cache/allowance-leases.ts); without, one point at a time. */
  readonly lease?: LeaseOptions | undefined;
}

/** The answer for one request: admitted, or refused until `retryAfterMs` has passed. */
export type RateLimitAnswer = LeaseAnswer;
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
 * an outage of the cache does not refuse every request. On Redis, with `lease`, an instance takes
 * the allowance in slices and counts them locally (`AllowanceLeases`, decision 0017f): most requests
 * touch no Redis, and all instances together still admit no more than the allowance.
 */
export function createRateLimiter(cache: Cache, options: RateLimiterOptions): RateLimiter {
  const figures = { keyPrefix: options.name, points: options.points, duration: options.durationSeconds };
  const memory = new RateLimiterMemory(figures);
  const store = redisClientOf(cache);
  const onRedis = (insured: boolean) =>
    new RateLimiterRedis({
      ...figures,
      storeClient: store!,
      // Disconnected: the insurance limiter answers at once instead of each request waiting.
      rejectIfRedisNotReady: true,
      ...(insured ? { insuranceLimiter: memory } : {}),
      // Once Redis said a key is over its limit, this instance refuses it locally until the window
      // ends (the count cannot go down before): a flood costs Redis one command per instance.
      inMemoryBlockOnConsumed: options.points + 1,
    });
  // Slices only from Redis itself: one granted by the insurance limiter would outlive the outage.
  const leases = store && options.lease && leaseSize(options.points, options.lease) > 1 ? new AllowanceLeases(onRedis(false), options.points, options.lease) : undefined;
  const limiter: RateLimiterAbstract = store && !leases ? onRedis(true) : memory;
  // While the shared cache's circuit is not closed (Redis failed a moment ago), the in-process
  // limiter answers at once: a limiter waiting for Redis's command timeout on every request would
  // undo what the circuit breaker is for. The cache's own commands probe Redis and close it again.
  const redisCache = cache instanceof RedisCache ? cache : undefined;
  const redisFailed = () => redisCache !== undefined && redisCache.circuit().state !== 'closed';
  return {
    async consume(key) {
      if (!leases || redisFailed()) return consumeOne(redisFailed() ? memory : limiter, key);
      // Redis not ready or failing: this request is counted in memory, as the insurance limiter would.
      return leases.consume(key).catch(() => consumeOne(memory, key));
    },
  };
}

/** One request counted by a rate-limiter-flexible limiter. */
async function consumeOne(limiter: RateLimiterAbstract, key: string): Promise<RateLimitAnswer> {
  try {
    await limiter.consume(key);
    return ADMITTED;
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return { admitted: false, retryAfterMs: refusal.msBeforeNext };
    throw refusal;
  }
}

/** The Redis connection behind a Redis cache (src/platform/cache/redis-cache.ts), or none for one in memory. */
function redisClientOf(cache: Cache): Redis | Cluster | undefined {
  return cache instanceof RedisCache ? cache.rateLimitStore() : undefined;
}
