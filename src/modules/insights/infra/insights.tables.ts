import type { ColumnType } from 'kysely';
import type { Timestamp } from '../../../platform/db/column-types.ts';

/** bigint: written as a number, read back as the driver gives it (a string on pg). */
type Count = ColumnType<string | number, number, number>;

/** API call KPIs of an hour, endpoint and TPP (migration 0049); `client_id` '' for calls that identified none. */
export interface InsightsApiHourlyTable {
  hour: Timestamp;
  endpoint: string;
  client_id: string;
  standard: string;
  service: string;
  calls: Count;
  successes: Count;
  business_failures: Count;
  technical_failures: Count;
  rejections: Count;
  ttfb_ms_total: Count;
  ttlb_ms_total: Count;
  ttlb_ms_min: Count;
  ttlb_ms_max: Count;
  payload_bytes_total: Count;
}

/** Calls of an hour, endpoint and TPP per time-to-last-byte bucket (migration 0052, latency-histogram.ts); `client_id` '' as above. */
export interface InsightsLatencyHourlyTable {
  hour: Timestamp;
  endpoint: string;
  client_id: string;
  bucket: number;
  calls: Count;
}

/** Calls of an endpoint in a minute, all TPPs together (migration 0049). */
export interface InsightsEndpointMinutesTable {
  minute: Timestamp;
  endpoint: string;
  calls: Count;
  technical_failures: Count;
}

/** The minutes each instance was serving the API (migration 0049). */
export interface InsightsServingMinutesTable {
  minute: Timestamp;
  instance_id: string;
}

/** Planned downtime windows (migration 0049). */
export interface InsightsPlannedDowntimeTable {
  id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: string;
  declared_at: Timestamp;
}

/** The tables the insights module owns. */
export interface InsightsTables {
  insights_api_hourly: InsightsApiHourlyTable;
  insights_latency_hourly: InsightsLatencyHourlyTable;
  insights_endpoint_minutes: InsightsEndpointMinutesTable;
  insights_serving_minutes: InsightsServingMinutesTable;
  insights_planned_downtime: InsightsPlannedDowntimeTable;
}
