import { Generations, LocalMemo, type Cache, type Freshness } from '../../platform/cache/index.ts';
import { consentAsOf } from './consent-as-of.ts';
import type { Consent } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';

const generationKey = (consentId: string) => `consents:gen:${consentId}`;

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
  await new Generations(cache).bump(generationKey(consentId));
}

/**
 * The consent a resource request is checked against, as fresh as a read of the database. Only
 * Authorised consents are remembered, in this process, under the consent's generation in the
 * shared cache (src/platform/cache `Generations`); leaving Authorised retires the generation
 * (`forgetConsent`), so a revocation through any instance applies to the next call everywhere.
 * Expiry is computed from the clock on every lookup. Without the shared cache it reads through.
 */
export class ConsentCache {
  private readonly generations: Generations;
  private readonly local: LocalMemo<Consent>;

  constructor(
    private readonly repository: ConsentsRepository,
    cache: Cache,
    options: ConsentCacheOptions = {},
  ) {
    this.generations = new Generations(cache);
    this.local = new LocalMemo({ maxEntries: options.maxEntries ?? 10_000, maxAgeMs: options.maxAgeMs ?? 60_000, interruptions: () => cache.circuit().opens });
  }

  /**
   * The consent now. `asOf`: the moment the caller's request arrived — the consent's generation may
   * then come from a read of the shared cache issued since (by a concurrent request), instead of a new one.
   */
  async find(id: string, now: Date = new Date(), asOf?: Freshness): Promise<Consent | undefined> {
    // The generation is read before the row: a change committed after this point retires it.
    const generation = await this.generations.current(generationKey(id), asOf);
    const remembered = generation === undefined ? undefined : this.local.get(id, generation);
    if (remembered) return consentAsOf(remembered, now);
    const stored = await this.repository.find(id);
    if (!stored) return undefined;
    if (generation !== undefined && stored.status === 'authorised') this.local.set(id, generation, stored);
    return consentAsOf(stored, now);
  }
}
