import type { ApiCall } from './api-call.ts';
import { outcomeOf } from './call-outcome.ts';
import { addFigures, type EndpointMinute, type HourlyKpi, type KpiFigures, type LatencyBucketCount } from './hourly-kpi.ts';
import { latencyBucketOf } from './latency-histogram.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** What an aggregator held since it was last drained. */
export interface KpiBatch {
  readonly hourly: readonly HourlyKpi[];
  readonly minutes: readonly EndpointMinute[];
  readonly latency: readonly LatencyBucketCount[];
}

/**
 * The calls of this instance, summed in memory per hour, endpoint and TPP (and per minute and
 * endpoint, and per hour, endpoint, TPP and latency bucket), until the collector flushes them:
 * nothing per request reaches the database. Its size is bounded by the endpoints × TPPs × hours
 * (× buckets reached) between flushes, not by the calls.
 */
export class KpiAggregator {
  #hourly = new Map<string, HourlyKpi>();
  #minutes = new Map<string, EndpointMinute>();
  #latency = new Map<string, LatencyBucketCount>();

  add(call: ApiCall): void {
    const outcome = outcomeOf(call.statusCode);
    const ttfb = Math.max(0, Math.round(call.ttfbMs));
    const ttlb = Math.max(ttfb, Math.round(call.ttlbMs));
    const figures: KpiFigures = {
      calls: 1,
      successes: outcome === 'success' ? 1 : 0,
      businessFailures: outcome === 'business-failure' ? 1 : 0,
      technicalFailures: outcome === 'technical-failure' ? 1 : 0,
      rejections: outcome === 'success' && call.rejected ? 1 : 0,
      ttfbMsTotal: ttfb,
      ttlbMsTotal: ttlb,
      ttlbMsMin: ttlb,
      ttlbMsMax: ttlb,
      payloadBytesTotal: Math.max(0, call.payloadBytes),
    };
    const hour = new Date(Math.floor(call.at.getTime() / HOUR_MS) * HOUR_MS);
    this.addHourly({ hour, standard: call.standard, service: call.service, endpoint: call.endpoint, clientId: call.clientId ?? null, ...figures });
    const minute = new Date(Math.floor(call.at.getTime() / MINUTE_MS) * MINUTE_MS);
    this.addMinute({ minute, endpoint: call.endpoint, calls: 1, technicalFailures: figures.technicalFailures });
    // The unrounded time: rounding to whole milliseconds first would add its own error to the bucket's (a third at 1.5 ms).
    this.addLatency({ hour, endpoint: call.endpoint, clientId: call.clientId ?? null, bucket: latencyBucketOf(Math.max(call.ttfbMs, call.ttlbMs)), calls: 1 });
  }

  /** Takes what was summed so far, leaving the aggregator empty. */
  drain(): KpiBatch {
    const batch = { hourly: [...this.#hourly.values()], minutes: [...this.#minutes.values()], latency: [...this.#latency.values()] };
    this.#hourly = new Map();
    this.#minutes = new Map();
    this.#latency = new Map();
    return batch;
  }

  /** Puts back a batch that could not be written, to be written with the next one. */
  restore(batch: KpiBatch): void {
    for (const row of batch.hourly) this.addHourly(row);
    for (const row of batch.minutes) this.addMinute(row);
    for (const row of batch.latency) this.addLatency(row);
  }

  get size(): number {
    return this.#hourly.size + this.#minutes.size + this.#latency.size;
  }

  private addHourly(row: HourlyKpi): void {
    const key = `${row.hour.getTime()}\n${row.endpoint}\n${row.clientId ?? ''}`;
    const held = this.#hourly.get(key);
    this.#hourly.set(key, held ? { ...held, ...addFigures(held, row) } : row);
  }

  private addMinute(row: EndpointMinute): void {
    const key = `${row.minute.getTime()}\n${row.endpoint}`;
    const held = this.#minutes.get(key);
    this.#minutes.set(key, held ? { ...held, calls: held.calls + row.calls, technicalFailures: held.technicalFailures + row.technicalFailures } : row);
  }

  private addLatency(row: LatencyBucketCount): void {
    const key = `${row.hour.getTime()}\n${row.endpoint}\n${row.clientId ?? ''}\n${row.bucket}`;
    const held = this.#latency.get(key);
    this.#latency.set(key, held ? { ...held, calls: held.calls + row.calls } : row);
  }
}
