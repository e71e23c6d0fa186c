import { randomBytes } from 'node:crypto';
import type { Cache } from '../../platform/cache/index.ts';
import { decodeCached, encodeCached } from './read-cache-codec.ts';

export interface AccountReadCacheOptions {
  /** Longest a read is reused (default 60 s); postings invalidate sooner. */
  readonly ttlSeconds?: number;
}

const DEFAULT_TTL_SECONDS = 60;
/** Generations outlive every entry cached under them, so an old entry can never be reached again. */
const GENERATION_TTL_SECONDS = 24 * 60 * 60;
const generationKey = (accountId: string) => `accounts:gen:${accountId}`;

/**
 * The shared cache (Redis in production) in front of account reads. Each account has a random
 * generation; entries are stored under the generations of the accounts they read. Invalidating an
 * account deletes its generation, so the next read mints a new one and misses: a read that loaded
 * old data just before a posting can only store it under the dead generation, never serve it later.
 */
export class AccountReadCache {
  private readonly ttlSeconds: number;

  constructor(
    private readonly cache: Cache,
    options: AccountReadCacheOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  }

  private async generation(accountId: string): Promise<string> {
    const key = generationKey(accountId);
    const current = await this.cache.get(key);
    if (current) return current;
    const minted = randomBytes(9).toString('base64url');
    if (await this.cache.setIfAbsent(key, minted, GENERATION_TTL_SECONDS)) return minted;
    return (await this.cache.get(key)) ?? minted;
  }

  /** The cached value of `what` over these accounts, or `load()` stored for next time. */
  async read<T>(accountIds: readonly string[], what: string, load: () => Promise<T>): Promise<T> {
    const generations = await Promise.all(accountIds.map((id) => this.generation(id)));
    const key = `accounts:read:${what}:${accountIds.map((id, i) => `${id}@${generations[i]}`).join(',')}`;
    const hit = await this.cache.get(key);
    if (hit !== null) return decodeCached<T>(hit);
    const value = await load();
    await this.cache.set(key, encodeCached(value), this.ttlSeconds);
    return value;
  }

  /** Makes every cached read of these accounts unreachable (on `core.entry-posted`). */
  async invalidate(accountIds: readonly string[]): Promise<void> {
    await this.cache.del(...accountIds.map(generationKey));
  }
}
