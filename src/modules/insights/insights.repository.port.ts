import type { EndpointMinute, HourlyKpi } from './hourly-kpi.ts';
import type { PlannedDowntime } from './planned-downtime.ts';

/** What the insights module needs from storage. */
export interface InsightsRepository {
  /**
   * Adds one instance's batch to the stored figures (sums add, minimum and maximum fold), and
   * records the minutes it was serving, all in one transaction: instances add up, never overwrite.
   */
  add(batch: { readonly hourly: readonly HourlyKpi[]; readonly minutes: readonly EndpointMinute[]; readonly serving: { readonly instanceId: string; readonly minutes: readonly Date[] } }): Promise<void>;
  /** The hourly figures of the hours starting in [from, to). */
  hourly(from: Date, to: Date): Promise<HourlyKpi[]>;
  /** The endpoints' minutes in [from, to) in which they answered a technical failure. */
  failingMinutes(from: Date, to: Date): Promise<EndpointMinute[]>;
  /** The minutes in [from, to) at least one instance was serving the API. */
  servingMinutes(from: Date, to: Date): Promise<Date[]>;
  /** The planned downtime overlapping [from, to). */
  plannedDowntime(from: Date, to: Date): Promise<PlannedDowntime[]>;
  declarePlannedDowntime(downtime: PlannedDowntime): Promise<void>;
}
