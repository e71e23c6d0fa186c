/**
 * The fixed log-scale buckets the time to last byte is counted in (docs/insights.md, "Latency
 * distributions"). Bucket 0 holds calls answered within 1 ms; bucket i ≥ 1 holds (1.1^(i−1), 1.1^i]
 * ms, each 10% wider than the one before, up to bucket 159 (1.1^159 ms is past an hour), which also
 * holds anything slower. Counts of the same bucket add up whatever instance, hour, endpoint or TPP
 * they came from, so distributions merge by adding counts, in memory or in SQL.
 *
 * The bucket numbers are what is stored (insights_latency_hourly): changing the growth or the first
 * bucket changes the meaning of every stored count, and needs a migration that rewrites them.
 */
export const LATENCY_GROWTH = 1.1;

/** The last bucket: also every call slower than its lower bound. */
export const LATENCY_MAX_BUCKET = 159;

/**
 * Bucket i ≥ 1 reads as 2·1.1^i / 2.1 ms, within (1.1 − 1)/(1.1 + 1) = 1/21 ≈ 4.76% of every value
 * in (1.1^(i−1), 1.1^i]: the greatest relative error of a quantile read from the counts, for calls
 * of 1 ms or more (and up to the last bucket's bound).
 */
export const LATENCY_RELATIVE_ERROR = (LATENCY_GROWTH - 1) / (LATENCY_GROWTH + 1);

const LOG_GROWTH = Math.log(LATENCY_GROWTH);

/** The bucket of a time to last byte in ms (0 for 1 ms or less, and for a value that is not a number). */
export function latencyBucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(LATENCY_MAX_BUCKET, Math.max(1, Math.ceil(Math.log(ms) / LOG_GROWTH)));
}

/** The value a bucket reads as, in ms: bucket 0 as 1 ms (calls that took 1 ms or less). */
export function latencyBucketValue(bucket: number): number {
  if (bucket <= 0) return 1;
  return (2 * LATENCY_GROWTH ** bucket) / (LATENCY_GROWTH + 1);
}

/**
 * A distribution of times to last byte: calls per bucket. Add calls or other histograms to it;
 * read quantiles from it. The quantile is the nearest-rank one: the value of the call of rank
 * ⌈q·n⌉ among n (at least the first), read as its bucket's value.
 */
export class LatencyHistogram {
  readonly #counts = new Map<number, number>();
  #total = 0;

  /** A histogram of the given bucket counts (repeated buckets add up). */
  static of(counts: Iterable<readonly [bucket: number, calls: number]>): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const [bucket, calls] of counts) histogram.add(bucket, calls);
    return histogram;
  }

  /** Counts one call that took `ms`. */
  record(ms: number): this {
    return this.add(latencyBucketOf(ms), 1);
  }

  /** Adds `calls` calls to a bucket. */
  add(bucket: number, calls: number): this {
    if (!Number.isInteger(bucket) || bucket < 0 || bucket > LATENCY_MAX_BUCKET) throw new RangeError(`latency bucket out of range: ${bucket}`);
    if (calls <= 0) return this;
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + calls);
    this.#total += calls;
    return this;
  }

  /** Adds every call of another histogram. */
  merge(other: LatencyHistogram): this {
    for (const [bucket, calls] of other.buckets()) this.add(bucket, calls);
    return this;
  }

  /** The calls counted. */
  get count(): number {
    return this.#total;
  }

  /** The non-empty buckets and their calls, in bucket order. */
  buckets(): Array<[bucket: number, calls: number]> {
    return [...this.#counts].sort(([a], [b]) => a - b);
  }

  /** The q-quantile (0 < q ≤ 1) in ms, null without calls. */
  quantile(q: number): number | null {
    if (!(q > 0 && q <= 1)) throw new RangeError(`quantile out of range: ${q}`);
    if (this.#total === 0) return null;
    // ⌈q·n⌉ in integers (q to a millionth), so that 0.95 × 20 is rank 19, not 20 by a rounding error.
    const rank = Math.max(1, Math.ceil((Math.round(q * 1_000_000) * this.#total) / 1_000_000));
    let seen = 0;
    for (const [bucket, calls] of this.buckets()) {
      seen += calls;
      if (seen >= rank) return latencyBucketValue(bucket);
    }
    return latencyBucketValue(LATENCY_MAX_BUCKET);
  }
}
