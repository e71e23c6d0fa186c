import { randomBytes } from 'node:crypto';
import type { Cache } from './cache.port.ts';

/** Generations outlive anything remembered under them, so a dropped one is never seen again. */
const GENERATION_TTL_SECONDS = 24 * 60 * 60;

/**
 * Random generation tokens in the shared cache, one per key. A reader takes the current token and
 * remembers what it loaded under it; a writer that changes the underlying data bumps the key
 * (deletes it) after its transaction commits, so the next reader mints a new token and misses.
 * A reader that loaded old data just before the change can only remember it under the dead token.
 * Tokens are random, never counters: an expired or evicted key can never bring an old token back.
 */
export class Generations {
  constructor(private readonly cache: Cache) {}

  /** The key's current token; undefined when the cache cannot be reached (then nothing may be reused). */
  async current(key: string): Promise<string | undefined> {
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

  /** Retires the keys' tokens everywhere. Throws when the cache cannot be reached, so a change never lags silently. */
  async bump(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.cache.del(...keys);
  }
}
