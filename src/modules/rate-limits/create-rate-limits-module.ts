import { createRateLimiter, type Cache } from '../../platform/cache/index.ts';
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
}

export interface RateLimitsModuleDeps {
  /** The shared cache: Redis (counts shared by every instance) or memory (one process). */
  readonly cache: Cache;
  readonly settings: RateLimitSettings;
  readonly onLimited?: RateLimitObserver | undefined;
}

export function createRateLimitsModule(deps: RateLimitsModuleDeps): RateLimitsApi {
  const { settings, cache } = deps;
  const durationSeconds = settings.windowSeconds;
  const limiters = Object.fromEntries(
    Object.entries(settings.families).map(([family, figures]) => [
      family,
      {
        client: createRateLimiter(cache, { name: `rate-limits:${family}:client`, points: figures.perClient, durationSeconds }),
        consent: figures.perConsent === undefined ? undefined : createRateLimiter(cache, { name: `rate-limits:${family}:consent`, points: figures.perConsent, durationSeconds }),
      },
    ]),
  ) as Record<RateLimitFamily, FamilyLimiters>;
  return {
    enabled: settings.enabled,
    admit: async (family, subject) => {
      if (!settings.enabled) return;
      await admitRequest(limiters[family], subject, deps.onLimited && ((kind) => deps.onLimited!(family, kind)));
    },
  };
}
