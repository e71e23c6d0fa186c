import type { LatencyHistogram } from './latency-histogram.ts';

/** What `latency` adds up: whole hours of [from, to), per hour, UTC day, endpoint or TPP. */
export interface LatencyQuery {
  readonly from: Date;
  readonly to: Date;
  /** Only this endpoint's calls (`METHOD route-template`). */
  readonly endpoint?: string | undefined;
  /** Only this TPP's calls (client id). */
  readonly clientId?: string | undefined;
  /** `hour` keys are ISO 8601 hour starts, `day` keys `YYYY-MM-DD` (UTC), `tpp` keys client ids (identified TPPs only). */
  readonly by: 'hour' | 'day' | 'endpoint' | 'tpp';
}

/**
 * Time-to-last-byte percentiles of the calls of one hour, day, endpoint or TPP, read from the sum
 * of their distributions (latency-histogram.ts): each within 4.8% of the exact nearest-rank value.
 */
export interface LatencyPercentiles {
  readonly key: string;
  /** The calls the distribution counts (those recorded since distributions were kept). */
  readonly calls: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** Milliseconds to a tenth: the buckets' 4.8% makes any finer figure noise. */
const tenth = (ms: number) => Math.round(ms * 10) / 10;

export function percentilesOf(key: string, histogram: LatencyHistogram): LatencyPercentiles {
  return { key, calls: histogram.count, p50Ms: tenth(histogram.quantile(0.5)!), p95Ms: tenth(histogram.quantile(0.95)!), p99Ms: tenth(histogram.quantile(0.99)!) };
}
