import type { Downtime, KpiDay, KpiFigures, KpiHour, LatencyPercentiles } from '../../modules/insights/index.ts';

/** Which calls a series counts: every call, or one endpoint's, or one TPP's (client id). */
export interface PerformanceFilter {
  readonly endpoint?: string | undefined;
  readonly clientId?: string | undefined;
}

/** One point of the charts: a period's calls, error rates, latencies and availability. */
export interface PerformancePoint {
  readonly label: string;
  readonly calls: number;
  /** Business (4xx) and technical (5xx) failures per call, in percent. */
  readonly errorRate: number;
  /** Technical failures (5xx) per call, in percent: the OB/RTS error response rate. */
  readonly technicalErrorRate: number;
  /** Time to last byte percentiles (ms), from the period's distribution; null where none was recorded. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  /** Mean time to last byte (ms), from the sums. */
  readonly meanMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly meanTtfbMs: number;
  /** Elapsed minutes up, in percent (null before anything elapsed). */
  readonly availability: number | null;
}

interface Sum {
  calls: number;
  failures: number;
  technical: number;
  ttlb: number;
  ttfb: number;
  min: number;
  max: number;
  elapsed: number;
  down: number;
}

const empty = (): Sum => ({ calls: 0, failures: 0, technical: 0, ttlb: 0, ttfb: 0, min: Infinity, max: 0, elapsed: 0, down: 0 });

function add(sum: Sum, figures: KpiFigures): void {
  sum.calls += figures.calls;
  sum.failures += figures.businessFailures + figures.technicalFailures;
  sum.technical += figures.technicalFailures;
  sum.ttlb += figures.ttlbMsTotal;
  sum.ttfb += figures.ttfbMsTotal;
  if (figures.calls > 0) {
    sum.min = Math.min(sum.min, figures.ttlbMsMin);
    sum.max = Math.max(sum.max, figures.ttlbMsMax);
  }
}

function addDowntime(sum: Sum, downtime: Downtime): void {
  sum.elapsed += downtime.elapsedMinutes;
  sum.down += downtime.plannedMinutes + downtime.unplannedMinutes;
}

const round = (value: number) => Math.round(value * 100) / 100;

function pointOf(label: string, sum: Sum, latency: LatencyPercentiles | undefined): PerformancePoint {
  const per = (n: number) => (sum.calls > 0 ? round((n / sum.calls) * 100) : 0);
  return {
    label,
    calls: sum.calls,
    errorRate: per(sum.failures),
    technicalErrorRate: per(sum.technical),
    p50Ms: latency?.p50Ms ?? null,
    p95Ms: latency?.p95Ms ?? null,
    p99Ms: latency?.p99Ms ?? null,
    meanMs: sum.calls > 0 ? round(sum.ttlb / sum.calls) : 0,
    minMs: sum.calls > 0 && Number.isFinite(sum.min) ? sum.min : 0,
    maxMs: sum.max,
    meanTtfbMs: sum.calls > 0 ? round(sum.ttfb / sum.calls) : 0,
    availability: sum.elapsed > 0 ? round(((sum.elapsed - sum.down) / sum.elapsed) * 100) : null,
  };
}

/** An hour's figures under the filter, and its downtime (the endpoint's, or the interface's). */
function sumHour(hour: KpiHour, filter: PerformanceFilter, into: Sum): void {
  let endpointDowntime: Downtime | undefined;
  for (const endpoint of hour.endpoints) {
    if (filter.endpoint && endpoint.endpoint !== filter.endpoint) continue;
    if (filter.endpoint) endpointDowntime = endpoint.downtime;
    if (filter.clientId) {
      for (const tpp of endpoint.byTpp) if (tpp.clientId === filter.clientId) add(into, tpp.figures);
    } else add(into, endpoint.figures);
  }
  addDowntime(into, filter.endpoint ? (endpointDowntime ?? hour.baseDowntime) : hour.downtime);
}

const byKey = (rows: readonly LatencyPercentiles[]) => new Map(rows.map((row) => [row.key, row]));

/** The day hour by hour (UTC); `latency` the percentiles of its hours under the same filter (`by: 'hour'`). */
export function hourlyPoints(day: KpiDay, filter: PerformanceFilter = {}, latency: readonly LatencyPercentiles[] = []): PerformancePoint[] {
  const percentiles = byKey(latency);
  return day.hours.map((hour) => {
    const sum = empty();
    sumHour(hour, filter, sum);
    return pointOf(`${String(hour.hour).padStart(2, '0')}:00`, sum, percentiles.get(hour.start.toISOString()));
  });
}

/** One point per day; `latency` the percentiles of the days under the same filter (`by: 'day'`). */
export function dailyPoints(days: readonly KpiDay[], filter: PerformanceFilter = {}, latency: readonly LatencyPercentiles[] = []): PerformancePoint[] {
  const percentiles = byKey(latency);
  return days.map((day) => {
    const sum = empty();
    for (const hour of day.hours) sumHour(hour, filter, sum);
    return pointOf(day.date, sum, percentiles.get(day.date));
  });
}

/** A day's totals per endpoint and per TPP, for the tables under the charts, with the day's percentiles of each. */
export function dayBreakdown(
  day: KpiDay,
  latency: { readonly endpoints?: readonly LatencyPercentiles[]; readonly tpps?: readonly LatencyPercentiles[] } = {},
): { endpoints: Array<{ name: string; point: PerformancePoint }>; tpps: Array<{ name: string; point: PerformancePoint }> } {
  const endpoints = new Map<string, Sum>();
  const tpps = new Map<string, Sum>();
  for (const hour of day.hours) {
    for (const endpoint of hour.endpoints) {
      const e = endpoints.get(endpoint.endpoint) ?? empty();
      add(e, endpoint.figures);
      addDowntime(e, endpoint.downtime);
      endpoints.set(endpoint.endpoint, e);
      for (const tpp of endpoint.byTpp) {
        const t = tpps.get(tpp.clientId) ?? empty();
        add(t, tpp.figures);
        tpps.set(tpp.clientId, t);
      }
    }
  }
  const rows = (map: Map<string, Sum>, percentiles: Map<string, LatencyPercentiles>) =>
    [...map].filter(([, sum]) => sum.calls > 0).map(([name, sum]) => ({ name, point: pointOf(name, sum, percentiles.get(name)) }));
  return { endpoints: rows(endpoints, byKey(latency.endpoints ?? [])), tpps: rows(tpps, byKey(latency.tpps ?? [])) };
}
