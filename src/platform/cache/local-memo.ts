import { boundedMemo, type BoundedMemo } from '../memo/index.ts';

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
