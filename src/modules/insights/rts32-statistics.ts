import type { ApiService } from './api-call.ts';
import type { Downtime } from './availability.ts';
import type { KpiFigures } from './hourly-kpi.ts';

/** The services EBA/GL/2018/07 Guideline 2.2 asks performance of, in report order. */
export const RTS32_SERVICES: readonly ApiService[] = ['account-information', 'payment-initiation', 'funds-confirmation'];

/** One service's performance over a day or a quarter. */
export interface ServicePerformance {
  readonly service: ApiService;
  readonly calls: number;
  readonly successes: number;
  readonly businessFailures: number;
  readonly technicalFailures: number;
  readonly rejections: number;
  /** Mean time to last byte (ms), to the millisecond; null without calls. */
  readonly meanResponseMs: number | null;
  /** Mean time to first byte (ms); null without calls. */
  readonly meanFirstByteMs: number | null;
  /** Technical failures per call (the dedicated interface's error response rate); null without calls. */
  readonly errorResponseRate: number | null;
}

/** Availability and performance of one period (a day or the quarter). */
export interface PeriodStatistics {
  readonly from: Date;
  readonly to: Date;
  readonly downtime: Downtime;
  /** Minutes up per minute elapsed, as a percentage to 3 decimals; null before the period started. */
  readonly uptimePercent: number | null;
  readonly services: readonly ServicePerformance[];
}

/**
 * The PSD2 RTS Art. 32(4) statistics of the dedicated interface for one quarter (published
 * quarterly, EBA/GL/2018/07 Guidelines 2.2–2.4): per day and for the quarter, beside the previous
 * quarter's for comparison.
 */
export interface Rts32Statistics {
  /** `YYYY-Qn`. */
  readonly quarter: string;
  readonly days: ReadonlyArray<PeriodStatistics & { readonly date: string }>;
  readonly total: PeriodStatistics;
  /** Absent when its figures are no longer all kept (KPI_RETENTION_DAYS). */
  readonly previousQuarter?: PeriodStatistics & { readonly quarter: string };
}

export function servicePerformance(service: ApiService, figures: KpiFigures): ServicePerformance {
  const mean = (total: number) => (figures.calls === 0 ? null : Math.round(total / figures.calls));
  return {
    service,
    calls: figures.calls,
    successes: figures.successes,
    businessFailures: figures.businessFailures,
    technicalFailures: figures.technicalFailures,
    rejections: figures.rejections,
    meanResponseMs: mean(figures.ttlbMsTotal),
    meanFirstByteMs: mean(figures.ttfbMsTotal),
    errorResponseRate: figures.calls === 0 ? null : Math.round((figures.technicalFailures / figures.calls) * 1e6) / 1e6,
  };
}

export function uptimePercent(downtime: Downtime): number | null {
  if (downtime.elapsedMinutes === 0) return null;
  const up = downtime.elapsedMinutes - downtime.plannedMinutes - downtime.unplannedMinutes;
  return Math.round((up / downtime.elapsedMinutes) * 100_000) / 1000;
}

const csvCell = (value: string | number | null) => (value === null ? '' : String(value));

/** The statistics as CSV: one line per period (each day, the quarter, the previous quarter) and service. */
export function rts32Csv(statistics: Rts32Statistics): string {
  const header = [
    'period', 'from', 'to', 'elapsed_minutes', 'planned_downtime_minutes', 'unplanned_downtime_minutes', 'uptime_percent',
    'service', 'calls', 'successes', 'business_failures', 'technical_failures', 'rejections', 'mean_response_ms', 'mean_first_byte_ms', 'error_response_rate',
  ];
  const lines = [header.join(',')];
  const periods: Array<[string, PeriodStatistics]> = [
    ...statistics.days.map((day): [string, PeriodStatistics] => [day.date, day]),
    [statistics.quarter, statistics.total],
    ...(statistics.previousQuarter ? [[statistics.previousQuarter.quarter, statistics.previousQuarter] as [string, PeriodStatistics]] : []),
  ];
  for (const [period, stats] of periods) {
    for (const service of stats.services) {
      lines.push(
        [
          period, stats.from.toISOString(), stats.to.toISOString(), stats.downtime.elapsedMinutes, stats.downtime.plannedMinutes, stats.downtime.unplannedMinutes, csvCell(stats.uptimePercent),
          service.service, service.calls, service.successes, service.businessFailures, service.technicalFailures, service.rejections, csvCell(service.meanResponseMs), csvCell(service.meanFirstByteMs), csvCell(service.errorResponseRate),
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
