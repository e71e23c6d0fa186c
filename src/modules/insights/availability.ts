import type { EndpointMinute } from './hourly-kpi.ts';
import type { PlannedDowntime } from './planned-downtime.ts';

const MINUTE_MS = 60_000;

/** Minutes of a period, by what they were. */
export interface Downtime {
  /** Minutes of the period that have elapsed (a period still running counts up to now). */
  readonly elapsedMinutes: number;
  /** Down within a planned downtime window. */
  readonly plannedMinutes: number;
  /** Down outside planned downtime: no instance serving, or every call of the endpoint a technical failure. */
  readonly unplannedMinutes: number;
}

/**
 * How each minute of a period was, from the minutes instances recorded serving, the planned
 * downtime and the minutes in which endpoints answered only technical failures (docs/insights.md):
 * - planned: inside a planned downtime window (whatever else happened);
 * - unplanned: no instance was serving the API that minute, or (for an endpoint, or for the whole
 *   interface when any of its endpoints) every call that minute was answered with a 5xx;
 * - up otherwise. Minutes not yet elapsed are not counted.
 */
export class AvailabilityTimeline {
  readonly #serving: ReadonlySet<number>;
  readonly #planned: readonly PlannedDowntime[];
  /** Per minute, the endpoints that failed entirely in it. */
  readonly #failing = new Map<number, Set<string>>();

  constructor(
    serving: readonly Date[],
    planned: readonly PlannedDowntime[],
    failingMinutes: readonly EndpointMinute[],
    readonly now: Date,
  ) {
    this.#serving = new Set(serving.map((minute) => minute.getTime()));
    this.#planned = planned;
    for (const row of failingMinutes) {
      if (row.calls === 0 || row.technicalFailures < row.calls) continue;
      const at = row.minute.getTime();
      const endpoints = this.#failing.get(at) ?? new Set<string>();
      endpoints.add(row.endpoint);
      this.#failing.set(at, endpoints);
    }
  }

  /** The downtime of [from, to): of one endpoint, or of the interface as a whole (any element down). */
  downtime(from: Date, to: Date, endpoint?: string): Downtime {
    let elapsed = 0;
    let planned = 0;
    let unplanned = 0;
    const end = Math.min(to.getTime(), Math.floor(this.now.getTime() / MINUTE_MS) * MINUTE_MS);
    for (let minute = from.getTime(); minute < end; minute += MINUTE_MS) {
      elapsed++;
      if (this.#planned.some((window) => window.from.getTime() <= minute && minute < window.to.getTime())) planned++;
      else if (!this.#serving.has(minute)) unplanned++;
      else {
        const failing = this.#failing.get(minute);
        if (failing && (endpoint === undefined ? failing.size > 0 : failing.has(endpoint))) unplanned++;
      }
    }
    return { elapsedMinutes: elapsed, plannedMinutes: planned, unplannedMinutes: unplanned };
  }
}
