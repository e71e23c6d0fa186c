import type { ApiCall } from './api-call.ts';
import type { InsightsRepository } from './insights.repository.port.ts';
import { KpiAggregator } from './kpi-aggregator.ts';

const MINUTE_MS = 60_000;
/** Past this many held rows (a database down for long), the oldest batch is dropped and counted. */
const MAX_HELD_ROWS = 200_000;

export interface KpiCollectorOptions {
  /** Names this instance's serving minutes (host, process, port). */
  readonly instanceId: string;
  /** How often the sums are added to the database (default 10 s). */
  readonly flushIntervalMs?: number;
  readonly now?: () => Date;
  /** A flush that failed: its figures are kept and added with the next one. */
  readonly onFlushError?: (error: unknown) => void;
}

/** This instance's KPI recording: what the onResponse hook feeds and the periodic flush writes. */
export interface KpiCollector {
  record(call: ApiCall): void;
  /** Adds what was summed since the last flush, and the minutes served since, to the database. */
  flush(): Promise<void>;
  /** Starts flushing periodically; from now on this instance's minutes count as served. */
  start(): void;
  /** Stops the timer after a last flush. */
  stop(): Promise<void>;
  /** Rows dropped because the database stayed unreachable (never more than the held bound). */
  readonly droppedRows: number;
}

/**
 * Sums calls in process and adds them to PostgreSQL by additive upserts every `flushIntervalMs`,
 * so that any number of instances add up and nothing per request touches the database. Each flush
 * also records every minute this instance was serving since the last one: the availability
 * figures count a minute no instance served as down (docs/insights.md).
 */
export function createKpiCollector(repository: InsightsRepository, options: KpiCollectorOptions): KpiCollector {
  const now = options.now ?? (() => new Date());
  const aggregator = new KpiAggregator();
  const pendingMinutes = new Set<number>();
  let lastServedMinute: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let dropped = 0;

  const noteServing = () => {
    if (lastServedMinute === undefined) return;
    const current = Math.floor(now().getTime() / MINUTE_MS) * MINUTE_MS;
    for (let minute = lastServedMinute; minute <= current; minute += MINUTE_MS) pendingMinutes.add(minute);
    lastServedMinute = current;
  };

  const flushOnce = async () => {
    noteServing();
    const batch = aggregator.drain();
    const minutes = [...pendingMinutes].sort((a, b) => a - b);
    if (batch.hourly.length === 0 && batch.minutes.length === 0 && minutes.length === 0) return;
    try {
      await repository.add({ hourly: batch.hourly, minutes: batch.minutes, latency: batch.latency, serving: { instanceId: options.instanceId, minutes: minutes.map((minute) => new Date(minute)) } });
      for (const minute of minutes) pendingMinutes.delete(minute);
    } catch (error) {
      // Kept for the next flush, up to a bound: the figures of a long outage are lost past it, counted.
      const rows = batch.hourly.length + batch.minutes.length + batch.latency.length;
      if (aggregator.size + rows <= MAX_HELD_ROWS) aggregator.restore(batch);
      else dropped += rows;
      options.onFlushError?.(error);
    }
  };

  const flush = async () => {
    // One flush at a time: a timer tick during a slow one waits for it rather than racing it.
    while (flushing) await flushing;
    flushing = flushOnce().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };

  return {
    record: (call) => aggregator.add(call),
    flush,
    start() {
      if (timer) return;
      lastServedMinute = Math.floor(now().getTime() / MINUTE_MS) * MINUTE_MS;
      timer = setInterval(() => void flush(), options.flushIntervalMs ?? 10_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
      lastServedMinute = undefined;
    },
    get droppedRows() {
      return dropped;
    },
  };
}
