import { LRUCache } from 'lru-cache';

/**
 * The one in-process memo: at most `max` entries, the least recently used dropped first. For
 * values that are only an optimisation (every caller can do without a hit); values are shared
 * between callers and must be treated as immutable.
 */
export function boundedMemo<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(max: number): LRUCache<K, V> {
  return new LRUCache<K, V>({ max });
}

export type BoundedMemo<K extends NonNullable<unknown>, V extends NonNullable<unknown>> = LRUCache<K, V>;
