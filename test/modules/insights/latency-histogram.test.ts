import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LATENCY_GROWTH, LATENCY_MAX_BUCKET, LATENCY_RELATIVE_ERROR, LatencyHistogram, latencyBucketOf, latencyBucketValue } from '../../../src/modules/insights/latency-histogram.ts';

/** A seeded generator (mulberry32): the same samples on every run, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The nearest-rank quantile of the samples: the value of rank ⌈p·n/100⌉. */
function exactQuantile(samples: readonly number[], percent: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percent * sorted.length) / 100)) - 1]!;
}

describe('latency histogram: fixed log-scale buckets', () => {
  it('numbers the buckets as stored: 1 ms or less is 0, then (1.1^(i-1), 1.1^i] ms, everything past 1.1^158 in 159', () => {
    assert.deepEqual(
      [0, 0.4, 1, 1.0001, 1.1, 1.1001, 1.21, 2, 10, 100, 1000, 30_000, 3_600_000, 1e9, Number.NaN].map(latencyBucketOf),
      [0, 0, 0, 1, 1, 2, 2, 8, 25, 49, 73, 109, 159, 159, 0],
    );
    assert.equal(LATENCY_MAX_BUCKET, 159);
    assert.equal(latencyBucketValue(0), 1);
    assert.ok(Math.abs(LATENCY_RELATIVE_ERROR - 1 / 21) < 1e-15);
  });

  it('reads every bucket within the stated relative error of both its bounds', () => {
    for (let bucket = 1; bucket <= LATENCY_MAX_BUCKET; bucket++) {
      const value = latencyBucketValue(bucket);
      for (const bound of [LATENCY_GROWTH ** (bucket - 1), LATENCY_GROWTH ** bucket]) {
        assert.ok(Math.abs(value - bound) / bound <= LATENCY_RELATIVE_ERROR + 1e-12, `bucket ${bucket}, bound ${bound}`);
      }
    }
  });

  it('property: p50, p95, p99 and any quantile of merged histograms are within the relative error of the exact quantile', () => {
    const next = random(20260415);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(next() * 3000);
      // Log-uniform over 1 ms–10 min, or two modes (a fast cache hit and a slow core call).
      const bimodal = trial % 2 === 1;
      const samples = Array.from({ length: n }, () => (bimodal ? (next() < 0.8 ? 5 + next() * 20 : 400 + next() * 3000) : Math.exp(next() * Math.log(600_000))));
      // Spread over up to five instances, each its own histogram, merged afterwards.
      const instances = Array.from({ length: 1 + (trial % 5) }, () => new LatencyHistogram());
      for (const sample of samples) instances[Math.floor(next() * instances.length)]!.record(sample);
      const merged = instances.reduce((sum, histogram) => sum.merge(histogram), new LatencyHistogram());
      assert.equal(merged.count, n);
      for (const percent of [50, 95, 99, 100, 1 + Math.floor(next() * 99)]) {
        const exact = exactQuantile(samples, percent);
        const estimate = merged.quantile(percent / 100)!;
        const error = Math.abs(estimate - exact) / exact;
        assert.ok(error <= LATENCY_RELATIVE_ERROR + 1e-9, `trial ${trial}, n ${n}, p${percent}: exact ${exact}, estimate ${estimate}, error ${error}`);
      }
    }
  });

  it('merging equals counting every call in one histogram, and adds up through bucket counts', () => {
    const all = new LatencyHistogram();
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    [3, 8, 8, 120, 450].forEach((ms) => (a.record(ms), all.record(ms)));
    [0.5, 9, 2000].forEach((ms) => (b.record(ms), all.record(ms)));
    const merged = LatencyHistogram.of([...a.buckets(), ...b.buckets()]);
    assert.deepEqual(merged.buckets(), all.buckets());
    assert.deepEqual(new LatencyHistogram().merge(a).merge(b).buckets(), all.buckets());
    assert.equal(merged.count, 8);
  });

  it('nearest rank: 0.95 of 20 calls is the 19th, not the 20th by a rounding error; no calls read as null', () => {
    const histogram = new LatencyHistogram();
    for (let i = 0; i < 19; i++) histogram.record(10);
    histogram.record(1000);
    assert.equal(histogram.quantile(0.95), latencyBucketValue(latencyBucketOf(10)));
    assert.equal(histogram.quantile(1), latencyBucketValue(latencyBucketOf(1000)));
    assert.equal(new LatencyHistogram().quantile(0.5), null);
    assert.throws(() => histogram.quantile(0), RangeError);
    assert.throws(() => histogram.add(LATENCY_MAX_BUCKET + 1, 1), RangeError);
  });
});
