/**
 * Remembers values derived from published key material by a pure function (a parsed certificate's
 * validity, an imported public key), so a TPP's every signed request does not parse or import the
 * same bytes again. Keyed by the material itself: what the directory publishes is still read on
 * every request, and a key it stops publishing is simply never looked up again. Bounded: when full,
 * the oldest entry goes.
 */
export class DerivedValueMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly derive: (material: string) => V,
    private readonly maxEntries = 1000,
  ) {}

  get(material: string): V {
    if (this.entries.has(material)) return this.entries.get(material)!;
    const value = this.derive(material);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(material, value);
    return value;
  }

  forget(material: string): void {
    this.entries.delete(material);
  }
}
