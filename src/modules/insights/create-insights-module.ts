import { randomUUID } from 'node:crypto';
import { AppError } from '../../platform/errors/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { AvailabilityTimeline } from './availability.ts';
import { addFigures, NO_FIGURES, type HourlyKpi, type KpiFigures } from './hourly-kpi.ts';
import { InsightsErrors } from './insights.errors.ts';
import type { InsightsRepository } from './insights.repository.port.ts';
import { createKyselyInsightsRepository } from './infra/kysely-insights-repository.ts';
import { createKpiCollector, type KpiCollector, type KpiCollectorOptions } from './kpi-collector.ts';
import type { EndpointHour, KpiDay, KpiHour } from './kpi-day.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import { percentilesOf, type LatencyPercentiles, type LatencyQuery } from './latency-percentiles.ts';
import type { PlannedDowntime } from './planned-downtime.ts';
import { RTS32_SERVICES, servicePerformance, uptimePercent, type PeriodStatistics, type Rts32Statistics } from './rts32-statistics.ts';
import { utcDayOf } from '../../platform/calendar/index.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The longest range `latency` adds up: a year and a day. */
const LATENCY_RANGE_MAX_MS = 366 * DAY_MS;

export interface InsightsModuleDeps {
  readonly db: Db;
  /** The clock reports stop at (minutes not yet elapsed are not counted); tests set it. */
  readonly now?: () => Date;
  /** KPI_RETENTION_DAYS: figures of days that ended longer ago are deleted (`expire`) and no longer reported. Unset: kept for good. */
  readonly retentionDays?: number | undefined;
}

/** The insights module: API call KPIs, availability, and the figures the regulatory reports are built from. */
export interface InsightsApi {
  /** An instance's recorder of API calls, flushed to the database periodically (see KpiCollector). */
  collector(options: KpiCollectorOptions): KpiCollector;
  /** The hourly KPIs of a UTC day (`YYYY-MM-DD`). */
  day(date: string): Promise<KpiDay>;
  /**
   * Time-to-last-byte percentiles (p50, p95, p99) of the hours of [from, to) (whole UTC hours), for
   * every call or one endpoint's and/or one TPP's, per hour, UTC day, endpoint or TPP: each the sum
   * of the stored distributions it covers. Only keys with calls are listed, in key order.
   */
  latency(query: LatencyQuery): Promise<LatencyPercentiles[]>;
  /** The PSD2 RTS Art. 32(4) statistics of a quarter (`YYYY-Qn`). */
  quarter(quarter: string, onDay?: (done: number, total: number) => void): Promise<Rts32Statistics>;
  /** Announces planned downtime: its minutes count as planned, not unplanned, whatever happens in them. */
  declarePlannedDowntime(window: { readonly from: Date; readonly to: Date; readonly reason: string }): Promise<PlannedDowntime>;
  /**
   * Retention (housekeeping): deletes the figures of the UTC days that ended the module's
   * `retentionDays` or more before `now` — whole days, so that no report meets half a day — and
   * planned downtime that ended before them (nothing without a retention). Returns the rows deleted.
   */
  expire(now: Date): Promise<number>;
}

function parseDate(date: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!parsed || utcDayOf(parsed) !== date) throw new AppError(InsightsErrors.DATE_INVALID);
  return parsed;
}

function quarterRange(quarter: string): { from: Date; to: Date; year: number; index: number } {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) throw new AppError(InsightsErrors.QUARTER_INVALID);
  const year = Number(match[1]);
  const index = Number(match[2]);
  return { from: new Date(Date.UTC(year, (index - 1) * 3, 1)), to: new Date(Date.UTC(year, index * 3, 1)), year, index };
}

const sumFigures = (rows: readonly KpiFigures[]) => rows.reduce<KpiFigures>((sum, row) => addFigures(sum, row), NO_FIGURES);

export function createInsightsModule(deps: InsightsModuleDeps, repository: InsightsRepository = createKyselyInsightsRepository(deps.db)): InsightsApi {
  const now = deps.now ?? (() => new Date());
  /** The first day whose figures are kept: the start of the UTC day retentionDays back (every day before it ended that long ago). */
  const horizon = (at: Date): Date | undefined => (deps.retentionDays === undefined ? undefined : new Date(utcDayOf(at.getTime() - deps.retentionDays * DAY_MS)));
  /** A period starting before the horizon (`first`, now's by default): its figures were deleted, in whole or in part, and would read as downtime. */
  const refuseExpired = (from: Date, first = horizon(now())) => {
    if (first && from < first) throw new AppError(InsightsErrors.PERIOD_EXPIRED, { message: `The figures before ${utcDayOf(first)} were deleted after KPI_RETENTION_DAYS (${deps.retentionDays})` });
  };

  const timelineOf = async (from: Date, to: Date) => {
    const [serving, planned, failing] = await Promise.all([repository.servingMinutes(from, to), repository.plannedDowntime(from, to), repository.failingMinutes(from, to)]);
    return new AvailabilityTimeline(serving, planned, failing, now());
  };

  const periodStatistics = (from: Date, to: Date, rows: readonly HourlyKpi[], timeline: AvailabilityTimeline): PeriodStatistics => {
    const downtime = timeline.downtime(from, to);
    const inPeriod = rows.filter((row) => row.hour >= from && row.hour < to);
    return {
      from,
      to,
      downtime,
      uptimePercent: uptimePercent(downtime),
      services: RTS32_SERVICES.map((service) => servicePerformance(service, sumFigures(inPeriod.filter((row) => row.service === service)))),
    };
  };

  return {
    collector: (options) => createKpiCollector(repository, options),

    async day(date) {
      const from = parseDate(date);
      refuseExpired(from);
      const to = new Date(from.getTime() + DAY_MS);
      const [rows, timeline] = await Promise.all([repository.hourly(from, to), timelineOf(from, to)]);
      const endpoints = new Map<string, HourlyKpi>();
      for (const row of rows) if (!endpoints.has(row.endpoint)) endpoints.set(row.endpoint, row);
      const ordered = [...endpoints.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
      const hours: KpiHour[] = [];
      for (let hour = 0; hour < 24; hour++) {
        const start = new Date(from.getTime() + hour * HOUR_MS);
        const end = new Date(start.getTime() + HOUR_MS);
        const ofHour = rows.filter((row) => row.hour.getTime() === start.getTime());
        const endpointHours: EndpointHour[] = ordered.map(({ standard, service, endpoint }) => {
          const calls = ofHour.filter((row) => row.endpoint === endpoint);
          const byClient = new Map<string, KpiFigures>();
          for (const row of calls) if (row.clientId !== null) byClient.set(row.clientId, addFigures(byClient.get(row.clientId) ?? NO_FIGURES, row));
          return {
            standard,
            service,
            endpoint,
            figures: sumFigures(calls),
            byTpp: [...byClient.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([clientId, figures]) => ({ clientId, figures })),
            downtime: timeline.downtime(start, end, endpoint),
          };
        });
        hours.push({ hour, start, endpoints: endpointHours, downtime: timeline.downtime(start, end), baseDowntime: timeline.downtime(start, end, '') });
      }
      return { date, hours };
    },

    async latency(query) {
      const { from, to } = query;
      const wholeHour = (date: Date) => Number.isFinite(date.getTime()) && date.getTime() % HOUR_MS === 0;
      if (!wholeHour(from) || !wholeHour(to) || !(to > from) || to.getTime() - from.getTime() > LATENCY_RANGE_MAX_MS) throw new AppError(InsightsErrors.LATENCY_RANGE_INVALID);
      refuseExpired(from);
      const rows = await repository.latencyBuckets({ from, to, endpoint: query.endpoint, clientId: query.clientId, by: query.by === 'day' ? 'hour' : query.by });
      const histograms = new Map<string, LatencyHistogram>();
      for (const row of rows) {
        const key = query.by === 'day' ? row.key.slice(0, 10) : row.key;
        const histogram = histograms.get(key) ?? new LatencyHistogram();
        histograms.set(key, histogram.add(row.bucket, row.calls));
      }
      return [...histograms].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, histogram]) => percentilesOf(key, histogram));
    },

    async quarter(quarter, onDay) {
      const range = quarterRange(quarter);
      const first = horizon(now());
      refuseExpired(range.from, first);
      const previous = range.index === 1 ? `${range.year - 1}-Q4` : `${range.year}-Q${range.index - 1}`;
      const previousRange = quarterRange(previous);
      // The previous quarter, for comparison, only while its figures are all kept.
      const comparable = !first || previousRange.from >= first;
      const [rows, timeline] = await Promise.all([repository.hourly(previousRange.from, range.to), timelineOf(previousRange.from, range.to)]);
      const days: Array<PeriodStatistics & { date: string }> = [];
      const total = Math.round((range.to.getTime() - range.from.getTime()) / DAY_MS);
      for (let day = range.from.getTime(); day < range.to.getTime(); day += DAY_MS) {
        const from = new Date(day);
        days.push({ date: utcDayOf(from), ...periodStatistics(from, new Date(day + DAY_MS), rows, timeline) });
        onDay?.(days.length, total);
      }
      return {
        quarter,
        days,
        total: periodStatistics(range.from, range.to, rows, timeline),
        ...(comparable ? { previousQuarter: { quarter: previous, ...periodStatistics(previousRange.from, previousRange.to, rows, timeline) } } : {}),
      };
    },

    async declarePlannedDowntime(window) {
      const whole = (date: Date) => date.getTime() % MINUTE_MS === 0;
      if (!(window.to > window.from) || !whole(window.from) || !whole(window.to)) throw new AppError(InsightsErrors.DOWNTIME_WINDOW_INVALID);
      const downtime: PlannedDowntime = { id: randomUUID(), from: window.from, to: window.to, reason: window.reason, declaredAt: now() };
      await repository.declarePlannedDowntime(downtime);
      return downtime;
    },

    async expire(at) {
      const first = horizon(at);
      return first ? repository.deleteBefore(first) : 0;
    },
  };
}
