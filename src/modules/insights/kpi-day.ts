import type { ApiService, ApiStandard } from './api-call.ts';
import type { Downtime } from './availability.ts';
import type { KpiFigures } from './hourly-kpi.ts';

/** One endpoint's hour: the figures of all calls, per TPP, and its downtime. */
export interface EndpointHour {
  readonly standard: ApiStandard;
  readonly service: ApiService;
  readonly endpoint: string;
  /** Every call, TPP identified or not. */
  readonly figures: KpiFigures;
  /** Per identified TPP (client id), in client id order. */
  readonly byTpp: ReadonlyArray<{ readonly clientId: string; readonly figures: KpiFigures }>;
  readonly downtime: Downtime;
}

/** One hour of a day (UTC). */
export interface KpiHour {
  /** 0–23. */
  readonly hour: number;
  readonly start: Date;
  /** Every endpoint called that day, each hour (zero figures where it was not called that hour). */
  readonly endpoints: readonly EndpointHour[];
  /** The interface as a whole: down when any element of it was. */
  readonly downtime: Downtime;
  /** The downtime of an endpoint not called this hour: planned, or no instance serving. */
  readonly baseDowntime: Downtime;
}

/** A day's hourly KPIs, the source of the hourly OB MI reports. */
export interface KpiDay {
  readonly date: string;
  readonly hours: readonly KpiHour[];
}
