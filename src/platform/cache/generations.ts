import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { boundedMemo } from '../memo/index.ts';
import type { Cache } from './cache.port.ts';

/** Generations outlive anything remembered under them, so a dropped one is never seen again. */
const GENERATION_TTL_SECONDS = 24 * 60 * 60;

/** Reads kept for sharing (they are only an optimisation). */
const MAX_SHARED_READS = 10_000;

/**
 * A moment on this process's monotonic clock (`performance.now()`). A caller that received a
 * request at `asOf` needs an answer at least as fresh as that moment: a read of the shared cache
 * issued at or after it is as good as one of its own.
 */
export type Freshness = number;

/** Now, as a `Freshness`: a read issued from here on is fresh enough for a caller stamped now. */
export const freshnessNow = (): Freshness => performance.now();

interface SharedRead {
  readonly issuedAt: Freshness;
  readonly token: Promise<string | undefined>;
}

/**
 * Random generation tokens in the shared cache, one per key. A reader takes the current token and
 * remembers what it loaded under it; a writer that changes the underlying data bumps the key
 * (deletes it) after its transaction commits, so the next reader mints a new token and misses.
 * A reader that loaded old data just before the change can only remember it under the dead token.
 * Tokens are random, never counters: an expired or evicted key can never bring an old token back.
 *
 * Callers that say how fresh they need the token (`asOf`, the moment their request arrived) share
 * one read of the shared cache: a read issued at or after that moment answers for all of them, as
 * it would have for each alone. A request that arrives after a bump completed is stamped after it,
 * so it never shares a read issued before the bump. Without `asOf` a caller reads on its own.
 */
export class Generations {
  private readonly shared = boundedMemo<string, SharedRead>(MAX_SHARED_READS);

  constructor(private readonly cache: Cache) {}

  /**
   * The key's current token, as of a read issued no earlier than `asOf` (default: now); undefined
   * when the cache cannot be reached (then nothing may be reused).
   */
  current(key: string, asOf: Freshness = freshnessNow()): Promise<string | undefined> {
    const shared = this.shared.get(key);
    if (shared && shared.issuedAt >= asOf) return shared.token;
    const read: SharedRead = { issuedAt: freshnessNow(), token: this.read(key) };
    this.shared.set(key, read);
    return read.token;
  }

  /** Starts reading the key's token now, for a caller stamped at or before now to take up (`current`). */
  readAhead(key: string): void {
    void this.current(key);
  }

  /** Retires the keys' tokens everywhere. Throws when the cache cannot be reached, so a change never lags silently. */
  async bump(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.cache.del(...keys);
  }

  private async read(key: string): Promise<string | undefined> {
    try {
      const current = await this.cache.get(key);
      if (current) return current;
      const minted = randomBytes(9).toString('base64url');
      if (await this.cache.setIfAbsent(key, minted, GENERATION_TTL_SECONDS)) return minted;
      return (await this.cache.get(key)) ?? undefined;
    } catch {
      return undefined;
    }
  }
}
