import type { ApiCall } from './api-call.ts';
import { outcomeOf } from './call-outcome.ts';
import { addFigures, NO_FIGURES, type EndpointMinute, type HourlyKpi, type LatencyBucketCount } from './hourly-kpi.ts';
import { latencyBucketOf } from './latency-histogram.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** What an aggregator held since it was last drained. */
export interface KpiBatch {
  readonly hourly: readonly HourlyKpi[];
  readonly minutes: readonly EndpointMinute[];
  readonly latency: readonly LatencyBucketCount[];
}

type Summed<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The calls of this instance, summed in memory per hour, endpoint and TPP (and per minute and
 * endpoint, and per hour, endpoint, TPP and latency bucket), until the collector flushes them:
 * nothing per request reaches the database. Its size is bounded by the endpoints × TPPs × hours
 * (× buckets reached) between flushes, not by the calls. A call adds to its rows in place (they
 * are the aggregator's own until drained): nothing is made per call but the keys.
 */
export class KpiAggregator {
  #hourly = new Map<string, Summed<HourlyKpi>>();
  #minutes = new Map<string, Summed<EndpointMinute>>();
  #latency = new Map<string, Summed<LatencyBucketCount>>();

  add(call: ApiCall): void {
    const outcome = outcomeOf(call.statusCode);
    const ttfb = Math.max(0, Math.round(call.ttfbMs));
    const ttlb = Math.max(ttfb, Math.round(call.ttlbMs));
    const time = call.at.getTime();
    const hour = Math.floor(time / HOUR_MS) * HOUR_MS;
    const hourKey = `${hour}\n${call.endpoint}\n${call.clientId ?? ''}`;
    let hourly = this.#hourly.get(hourKey);
    if (!hourly) {
      hourly = { hour: new Date(hour), standard: call.standard, service: call.service, endpoint: call.endpoint, clientId: call.clientId ?? null, ...NO_FIGURES, ttlbMsMin: ttlb, ttlbMsMax: ttlb };
      this.#hourly.set(hourKey, hourly);
    }
    hourly.calls += 1;
    if (outcome === 'success') hourly.successes += 1;
    else if (outcome === 'business-failure') hourly.businessFailures += 1;
    else hourly.technicalFailures += 1;
    if (outcome === 'success' && call.rejected) hourly.rejections += 1;
    hourly.ttfbMsTotal += ttfb;
    hourly.ttlbMsTotal += ttlb;
    hourly.ttlbMsMin = Math.min(hourly.ttlbMsMin, ttlb);
    hourly.ttlbMsMax = Math.max(hourly.ttlbMsMax, ttlb);
    hourly.payloadBytesTotal += Math.max(0, call.payloadBytes);

    const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    const minuteKey = `${minute}\n${call.endpoint}`;
    let perMinute = this.#minutes.get(minuteKey);
    if (!perMinute) {
      perMinute = { minute: new Date(minute), endpoint: call.endpoint, calls: 0, technicalFailures: 0 };
      this.#minutes.set(minuteKey, perMinute);
    }
    perMinute.calls += 1;
    if (outcome === 'technical-failure') perMinute.technicalFailures += 1;

    // The unrounded time: rounding to whole milliseconds first would add its own error to the bucket's (a third at 1.5 ms).
    const bucket = latencyBucketOf(Math.max(call.ttfbMs, call.ttlbMs));
    const latencyKey = `${hourKey}\n${bucket}`;
    const counted = this.#latency.get(latencyKey);
    if (counted) counted.calls += 1;
    else this.#latency.set(latencyKey, { hour: hourly.hour, endpoint: call.endpoint, clientId: call.clientId ?? null, bucket, calls: 1 });
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
    for (const row of batch.hourly) {
      const key = `${row.hour.getTime()}\n${row.endpoint}\n${row.clientId ?? ''}`;
      const held = this.#hourly.get(key);
      this.#hourly.set(key, held ? { ...held, ...addFigures(held, row) } : { ...row });
    }
    for (const row of batch.minutes) {
      const key = `${row.minute.getTime()}\n${row.endpoint}`;
      const held = this.#minutes.get(key);
      this.#minutes.set(key, held ? { ...held, calls: held.calls + row.calls, technicalFailures: held.technicalFailures + row.technicalFailures } : { ...row });
    }
    for (const row of batch.latency) {
      const key = `${row.hour.getTime()}\n${row.endpoint}\n${row.clientId ?? ''}\n${row.bucket}`;
      const held = this.#latency.get(key);
      this.#latency.set(key, held ? { ...held, calls: held.calls + row.calls } : { ...row });
    }
  }

  get size(): number {
    return this.#hourly.size + this.#minutes.size + this.#latency.size;
  }
}
