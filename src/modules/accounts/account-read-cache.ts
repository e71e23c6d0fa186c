import { Generations, LocalMemo, type Cache, type Freshness } from '../../platform/cache/index.ts';
import { decodeCached, encodeCached } from './read-cache-codec.ts';

export interface AccountReadCacheOptions {
  /** Longest a read is reused (default 60 s); postings invalidate sooner. */
  readonly ttlSeconds?: number;
  /** Reads kept decoded in this process, in front of the shared cache (default 2,000). */
  readonly localEntries?: number;
}

const DEFAULT_TTL_SECONDS = 60;
const generationKey = (accountId: string) => `accounts:gen:${accountId}`;

/**
 * The shared cache (Redis in production) in front of account reads, with a small decoded copy in
 * this process in front of that. Each account has a random generation (src/platform/cache
 * `Generations`); entries are stored under the generations of the accounts they read. Invalidating
 * an account retires its generation, so the next read misses at every instance: a read that loaded
 * old data just before a posting can only store it under the dead generation, never serve it later.
 * Every read asks the shared cache for the current generations, so the local copy is only reused
 * while it is still current everywhere. Cached values are shared: callers never mutate them.
 */
export class AccountReadCache {
  private readonly ttlSeconds: number;
  private readonly generations: Generations;
  private readonly local: LocalMemo<unknown>;

  constructor(
    private readonly cache: Cache,
    options: AccountReadCacheOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    this.generations = new Generations(cache);
    this.local = new LocalMemo({ maxEntries: options.localEntries ?? 2_000, maxAgeMs: this.ttlSeconds * 1000, interruptions: () => cache.circuit().opens });
  }

  /**
   * The cached value of `what` over these accounts, or `load()` stored for next time. `asOf`: when
   * the caller's request arrived; the accounts' generations may come from reads issued since.
   */
  async read<T>(accountIds: readonly string[], what: string, load: () => Promise<T>, asOf?: Freshness): Promise<T> {
    const generations = await Promise.all(accountIds.map((id) => this.generations.current(generationKey(id), asOf)));
    // Without the shared cache nobody can tell whether a copy is current: read through.
    if (generations.some((generation) => generation === undefined)) return load();
    const key = `accounts:read:${what}:${accountIds.map((id, i) => `${id}@${generations[i]}`).join(',')}`;
    const local = this.local.get(key, '');
    if (local !== undefined) return local as T;
    const hit = await this.cache.get(key).catch(() => null);
    if (hit !== null) {
      const value = decodeCached<T>(hit);
      this.local.set(key, '', value);
      return value;
    }
    const value = await load();
    await this.cache.set(key, encodeCached(value), this.ttlSeconds).catch(() => undefined);
    this.local.set(key, '', value);
    return value;
  }

  /** Makes every cached read of these accounts unreachable (on the core's posting events). */
  async invalidate(accountIds: readonly string[]): Promise<void> {
    await this.generations.bump(...accountIds.map(generationKey));
  }
}
