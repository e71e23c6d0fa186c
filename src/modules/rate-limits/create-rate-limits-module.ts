import { createRateLimiter, type Cache } from '../../platform/cache/index.ts';
import { LRUCache } from 'lru-cache';
import type { RateLimitFamily, RateLimitSettings } from '../../platform/config/index.ts';
import { admitRequest, type FamilyLimiters, type RateLimitKind, type RateLimitSubject } from './admit-request.ts';

/** Told of every refused request (metrics). */
export type RateLimitObserver = (family: RateLimitFamily, kind: RateLimitKind) => void;

export interface RateLimitsApi {
  /** Whether limits apply (`RATE_LIMITS`); off, `admit` lets everything through. */
  readonly enabled: boolean;
  /**
   * Counts a request of an API family against its TPP's and consent's allowances, in the shared
   * cache (every instance together); refuses it with RATE_LIMIT.CLIENT_EXCEEDED or
   * RATE_LIMIT.CONSENT_EXCEEDED (429, `retryAfterSeconds`) when one is used up.
   */
  admit(family: RateLimitFamily, subject: RateLimitSubject): Promise<void>;
  /**
   * A stricter allowance for one TPP (a risk response, docs/risk.md): `points` requests per window
   * across every API family, held in the shared cache so that every instance applies it, until
   * `ttlSeconds` pass or it is lifted. It applies even where RATE_LIMITS is off.
   */
  throttleClient(clientId: string, points: number, ttlSeconds: number): Promise<void>;
  liftThrottle(clientId: string): Promise<void>;
}

export interface RateLimitsModuleDeps {
  /** The shared cache: Redis (counts shared by every instance) or memory (one process). */
  readonly cache: Cache;
  readonly settings: RateLimitSettings;
  readonly onLimited?: RateLimitObserver | undefined;
}

/** How long an instance trusts what it read of a TPP's throttle. */
const THROTTLE_MEMO_MS = 2000;

export function createRateLimitsModule(deps: RateLimitsModuleDeps): RateLimitsApi {
  const { settings, cache } = deps;
  const durationSeconds = settings.windowSeconds;
  const lease = settings.lease;
  const limiters = Object.fromEntries(
    Object.entries(settings.families).map(([family, figures]) => [
      family,
      {
        client: createRateLimiter(cache, { name: `rate-limits:${family}:client`, points: figures.perClient, durationSeconds, lease }),
        consent: figures.perConsent === undefined ? undefined : createRateLimiter(cache, { name: `rate-limits:${family}:consent`, points: figures.perConsent, durationSeconds, lease }),
      },
    ]),
  ) as Record<RateLimitFamily, FamilyLimiters>;
  const throttleKey = (clientId: string) => `rate-limits:throttle:${clientId}`;
  const throttled = new Map<number, ReturnType<typeof createRateLimiter>>();
  const throttledLimiter = (points: number) => {
    let limiter = throttled.get(points);
    if (!limiter) throttled.set(points, (limiter = createRateLimiter(cache, { name: `rate-limits:throttled:${points}`, points, durationSeconds, lease })));
    return limiter;
  };
  // Each instance remembers a TPP's throttle (or its absence) for THROTTLE_MEMO_MS, so a request
  // costs no extra Redis read; a throttle set or lifted elsewhere reaches this instance within it.
  const overrides = new LRUCache<string, { readonly points: number }>({ max: 100_000, ttl: THROTTLE_MEMO_MS });
  const readOverride = async (clientId: string): Promise<number> => {
    // A cache that cannot answer leaves the throttle unapplied (and unremembered) rather than refusing every request.
    const points = Number(await cache.get(throttleKey(clientId)).catch(() => undefined)) || 0;
    overrides.set(clientId, { points });
    return points;
  };
  return {
    enabled: settings.enabled,
    admit: async (family, subject) => {
      const onLimited = deps.onLimited && ((kind: RateLimitKind) => deps.onLimited!(family, kind));
      // The throttle, as remembered (nearly every request), or read from the cache alongside the family's limits.
      const known = overrides.get(subject.clientId);
      const limited = settings.enabled ? admitRequest(limiters[family], subject, onLimited) : undefined;
      let points: number;
      if (known) {
        await limited;
        points = known.points;
      } else {
        [points] = await Promise.all([readOverride(subject.clientId), limited]);
      }
      if (points > 0) await admitRequest({ client: throttledLimiter(points), consent: undefined }, { clientId: subject.clientId }, onLimited);
    },
    throttleClient: async (clientId, points, ttlSeconds) => {
      await cache.set(throttleKey(clientId), String(points), ttlSeconds);
      overrides.set(clientId, { points });
    },
    liftThrottle: async (clientId) => {
      await cache.del(throttleKey(clientId));
      overrides.delete(clientId);
    },
  };
}
