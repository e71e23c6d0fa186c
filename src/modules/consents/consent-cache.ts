import { invalidateReadThrough, ReadThroughCache, type Cache, type Freshness } from '../../platform/cache/index.ts';
import { consentAsOf } from './consent-as-of.ts';
import type { Consent } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';

const CACHE_NAME = 'consents';

export interface ConsentCacheOptions {
  /** Authorised consents kept in this process (default 10,000). */
  readonly maxEntries?: number;
  /** Longest one is reused before it is read again (default 60 s). */
  readonly maxAgeMs?: number;
}

/**
 * Retires every cached copy of a consent, at every instance: the status changes that take a
 * consent out of Authorised call it after their transaction commits. Throws when the shared cache
 * cannot be reached, so the change reports an error instead of applying late.
 */
export async function forgetConsent(cache: Cache, consentId: string): Promise<void> {
  await forgetConsents(cache, [consentId]);
}

/** `forgetConsent` for several consents, in one call to the shared cache. */
export async function forgetConsents(cache: Cache, consentIds: readonly string[]): Promise<void> {
  if (consentIds.length > 0) await invalidateReadThrough(cache, CACHE_NAME, consentIds);
}

/**
 * The consent a resource request is checked against, as fresh as a read of the database. Only
 * Authorised consents are remembered, in this process, under the consent's generation in the
 * shared cache (src/platform/cache `ReadThroughCache`); leaving Authorised retires the generation
 * (`forgetConsent`), so a revocation through any instance applies to the next call everywhere.
 * A remembered consent is never reused from its expiry on: it is read again, and reads as Expired.
 * Without the shared cache it reads through.
 */
export class ConsentCache {
  private readonly consents: ReadThroughCache;

  constructor(
    private readonly repository: ConsentsRepository,
    cache: Cache,
    options: ConsentCacheOptions = {},
  ) {
    this.consents = new ReadThroughCache(cache, { name: CACHE_NAME, localEntries: options.maxEntries ?? 10_000, maxAgeMs: options.maxAgeMs ?? 60_000 });
  }

  /**
   * The consent now. `asOf`: the moment the caller's request arrived — the consent's generation may
   * then come from a read of the shared cache issued since (by a concurrent request), instead of a new one.
   */
  find(id: string, now: Date = new Date(), asOf?: Freshness): Promise<Consent | undefined> {
    return this.consents.read([id], 'consent', async () => {
      const stored = await this.repository.find(id);
      return stored && consentAsOf(stored, now);
    }, {
      asOf,
      reuse: (consent) => consent.expiresAt === null || consent.expiresAt > now,
      keep: (consent) => consent.status === 'authorised',
    });
  }
}
