import type { EndpointMinute, HourlyKpi, LatencyBucketCount } from './hourly-kpi.ts';
import type { PlannedDowntime } from './planned-downtime.ts';

/** What the insights module needs from storage. */
export interface InsightsRepository {
  /**
   * Adds one instance's batch to the stored figures (sums and latency bucket counts add, minimum and
   * maximum fold), and records the minutes it was serving, all in one transaction: instances add
   * up, never overwrite.
   */
  add(batch: {
    readonly hourly: readonly HourlyKpi[];
    readonly minutes: readonly EndpointMinute[];
    readonly latency: readonly LatencyBucketCount[];
    readonly serving: { readonly instanceId: string; readonly minutes: readonly Date[] };
  }): Promise<void>;
  /** The hourly figures of the hours starting in [from, to). */
  hourly(from: Date, to: Date): Promise<HourlyKpi[]>;
  /**
   * The calls per latency bucket of the hours starting in [from, to), of one endpoint and/or TPP
   * when given, added up per hour (key: the hour, ISO 8601), per endpoint or per TPP (identified
   * TPPs only), in key and bucket order.
   */
  latencyBuckets(query: LatencyBucketQuery): Promise<Array<{ readonly key: string; readonly bucket: number; readonly calls: number }>>;
  /** The endpoints' minutes in [from, to) in which they answered a technical failure. */
  failingMinutes(from: Date, to: Date): Promise<EndpointMinute[]>;
  /** The minutes in [from, to) at least one instance was serving the API. */
  servingMinutes(from: Date, to: Date): Promise<Date[]>;
  /** The planned downtime overlapping [from, to). */
  plannedDowntime(from: Date, to: Date): Promise<PlannedDowntime[]>;
  declarePlannedDowntime(downtime: PlannedDowntime): Promise<void>;
  /** Deletes the figures of hours and minutes before `cutoff`, and planned downtime that ended before it; returns the rows deleted. */
  deleteBefore(cutoff: Date): Promise<number>;
}

export interface LatencyBucketQuery {
  readonly from: Date;
  readonly to: Date;
  readonly endpoint?: string | undefined;
  readonly clientId?: string | undefined;
  readonly by: 'hour' | 'endpoint' | 'tpp';
}
