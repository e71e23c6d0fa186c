import { LRUCache } from 'lru-cache';

/**
 * Remembers values derived from published key material by a pure function (a parsed certificate's
 * validity, an imported public key), so a TPP's every signed request does not parse or import the
 * same bytes again. Keyed by the material itself: what the directory publishes is still read on
 * every request, and a key it stops publishing is simply never looked up again. At most
 * `maxEntries`, the least recently used dropped first.
 */
export class DerivedValueMemo<V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<string, V>;

  constructor(
    private readonly derive: (material: string) => V,
    maxEntries = 1000,
  ) {
    this.entries = new LRUCache<string, V>({ max: maxEntries });
  }

  get(material: string): V {
    let value = this.entries.get(material);
    if (value === undefined) this.entries.set(material, (value = this.derive(material)));
    return value;
  }

  forget(material: string): void {
    this.entries.delete(material);
  }
}
