import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { boundedMemo, type BoundedMemo } from '../memo/index.ts';
import type { Cache } from './cache.port.ts';

/*
 * Generation-checked caching, in three layers used together: `Generations` (random tokens in the
 * shared cache that a change retires), `LocalMemo` (copies in this process valid only under the
 * token they were loaded under) and `ReadThroughCache`, which composes both with a shared copy and
 * the load. The consent cache, the account reads and the directory's verdicts use them.
 */

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
/**
 * Retires the keys' generation tokens everywhere (what `Generations.bump` does), for a writer that
 * reads none: it holds no memo of shared reads. Throws when the cache cannot be reached, so a change
 * never lags silently.
 */
export async function retireGenerations(cache: Cache, ...keys: string[]): Promise<void> {
  if (keys.length > 0) await cache.del(...keys);
}

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
  bump(...keys: string[]): Promise<void> {
    return retireGenerations(this.cache, ...keys);
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

export interface LocalMemoOptions {
  /** Most entries kept; the least recently used go first (default 10,000). */
  readonly maxEntries?: number;
  /** Longest an entry is reused, whatever its generation (default 60 s). */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
  /**
   * How many times the shared cache has been interrupted (`Cache.circuit().opens`). An entry stored
   * before an interruption is never reused after it: a change made meanwhile may have failed to
   * retire its generation, so the generation no longer proves the entry current.
   */
  readonly interruptions?: () => number;
}

interface Entry<V> {
  readonly generation: string;
  readonly value: V;
  readonly until: number;
  readonly interruptions: number;
}

/**
 * A bounded in-process memo whose entries are valid only under the generation (src/platform/cache
 * `Generations`) they were loaded under, and never past their deadline. It never decides anything
 * alone: a caller asks the shared cache for the current generation first, so a change made through
 * any instance retires the entry here on the next lookup. Values are shared between callers and
 * must be treated as immutable.
 */
export class LocalMemo<V> {
  private readonly entries: BoundedMemo<string, Entry<V>>;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly interruptions: () => number;

  constructor(options: LocalMemoOptions = {}) {
    this.entries = boundedMemo<string, Entry<V>>(options.maxEntries ?? 10_000);
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.interruptions = options.interruptions ?? (() => 0);
  }

  get(key: string, generation: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== generation || entry.until <= this.now() || entry.interruptions !== this.interruptions()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Remembers `value` under `generation` until `validUntil` (ms) or the memo's maximum age, whichever is first. */
  set(key: string, generation: string, value: V, validUntil = Number.POSITIVE_INFINITY): void {
    const until = Math.min(this.now() + this.maxAgeMs, validUntil);
    if (until <= this.now()) return;
    this.entries.set(key, { generation, value, until, interruptions: this.interruptions() });
  }

  get size(): number {
    return this.entries.size;
  }
}

/** How a shared copy is written to and read from the shared cache. */
export interface CacheCodec {
  encode(value: unknown): string;
  decode(text: string): unknown;
}

export interface ReadThroughCacheOptions {
  /** Prefix of the keys: `<name>:gen:<subject>` for generations, `<name>:<what>…` for copies. */
  readonly name: string;
  /** Copies kept decoded in this process (default 10,000). */
  readonly localEntries?: number;
  /** Longest a copy is reused, whatever its generations (default 60 s). */
  readonly maxAgeMs?: number;
  /** A copy in the shared cache too, for other instances: how it is encoded and how long it is kept. Absent: this process only. */
  readonly shared?: { readonly codec: CacheCodec; readonly ttlSeconds: number } | undefined;
}

export interface ReadThroughOptions<T> {
  /** When the caller's request arrived (`Generations.current`). */
  readonly asOf?: Freshness | undefined;
  /** Whether a copy may answer this read (default: any); one that may not is loaded again. */
  readonly reuse?: ((value: NonNullable<T>) => boolean) | undefined;
  /** Whether a loaded value may be kept for later reads (default: any but undefined, which is never kept). */
  readonly keep?: ((value: NonNullable<T>) => boolean) | undefined;
}

/** The generation key of a subject of the read-through cache `name`. */
const generationKeyOf = (name: string, subject: string) => `${name}:gen:${subject}`;

/**
 * What `ReadThroughCache.invalidate` does, for a writer that holds the shared cache but not the
 * read-through cache `name` itself. Throws when the shared cache cannot be reached.
 */
export function invalidateReadThrough(cache: Cache, name: string, subjects: readonly string[]): Promise<void> {
  return retireGenerations(cache, ...subjects.map((subject) => generationKeyOf(name, subject)));
}

/**
 * A read-through cache over generations: `read(subjects, what, load)` answers a copy of `what`
 * loaded while every subject had its current generation — from this process, then from the shared
 * cache — or loads it and keeps it for next time. `invalidate(subjects)` retires the subjects'
 * generations after a change commits, so every copy that read them misses at every instance: a
 * load that read old data just before the change can only be kept under the dead generation.
 * Without the shared cache nobody can tell whether a copy is current, so it reads through. A read
 * of no subjects is never invalidated: for data that never changes once written. Copies are
 * shared between callers, who must never mutate them.
 */
export class ReadThroughCache {
  private readonly generations: Generations;
  private readonly local: LocalMemo<unknown>;

  constructor(
    private readonly cache: Cache,
    private readonly options: ReadThroughCacheOptions,
  ) {
    this.generations = new Generations(cache);
    this.local = new LocalMemo({ maxEntries: options.localEntries ?? 10_000, maxAgeMs: options.maxAgeMs ?? 60_000, interruptions: () => cache.circuit().opens });
  }

  async read<T>(subjects: readonly string[], what: string, load: () => Promise<T>, options: ReadThroughOptions<T> = {}): Promise<T> {
    // The generations are read before the data: a change committed after this point retires them.
    const generations = await Promise.all(subjects.map((subject) => this.generations.current(this.generationKey(subject), options.asOf)));
    if (generations.some((generation) => generation === undefined)) return load();
    // This process's copy is kept by what it answers, its generations beside it: a newer
    // generation's copy replaces it, rather than leaving it to age out of the memo unread.
    const localKey = `${what}:${subjects.join(',')}`;
    const generation = generations.join(',');
    const reuse = options.reuse ?? (() => true);
    const local = this.local.get(localKey, generation) as NonNullable<T> | undefined;
    if (local !== undefined && reuse(local)) return local;
    // The shared copy is kept by its generations: one another instance loaded under them.
    const key = `${this.options.name}:${what}${subjects.map((subject, i) => `${i === 0 ? ':' : ','}${subject}@${generations[i]}`).join('')}`;
    const { shared } = this.options;
    const hit = shared ? await this.cache.get(key).catch(() => null) : null;
    if (shared && hit !== null) {
      const value = shared.codec.decode(hit) as NonNullable<T>;
      if (reuse(value)) {
        this.local.set(localKey, generation, value);
        return value;
      }
    }
    const value = await load();
    if (value === undefined || value === null || (options.keep && !options.keep(value))) return value;
    if (shared) await this.cache.set(key, shared.codec.encode(value), shared.ttlSeconds).catch(() => undefined);
    this.local.set(localKey, generation, value);
    return value;
  }

  /** Copies held in this process: one per read (what and subjects), whatever generations it went through. */
  get localCopies(): number {
    return this.local.size;
  }

  /** Makes every copy that read these subjects unreachable, at every instance. Throws when the shared cache cannot be reached. */
  invalidate(subjects: readonly string[]): Promise<void> {
    return invalidateReadThrough(this.cache, this.options.name, subjects);
  }

  private generationKey(subject: string): string {
    return generationKeyOf(this.options.name, subject);
  }
}
