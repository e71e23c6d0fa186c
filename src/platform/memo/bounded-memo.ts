import { LRUCache } from 'lru-cache';

export type BoundedMemo<K extends NonNullable<unknown>, V extends NonNullable<unknown>> = LRUCache<K, V>;

/**
 * The one in-process memo, over `lru-cache`: at most `max` entries, the least recently used dropped
 * first. For values that are only an optimisation (every caller can do without a hit); values are
 * shared between callers and must be treated as immutable.
 *
 * With `derive`, a pure function of the key, `memo.memo(key)` answers the remembered value or
 * derives, remembers and answers it: e.g. values derived from published key material (a parsed
 * certificate's validity, an imported public key), keyed by the material itself, so what a
 * directory publishes is still read every time and material it stops publishing is never looked
 * up again.
 */
export function boundedMemo<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(max: number, derive?: (key: K) => V): BoundedMemo<K, V> {
  return new LRUCache<K, V>(derive ? { max, memoMethod: (key) => derive(key) } : { max });
}
