import type { NullableTimestamp, Timestamp } from '../../../platform/db/column-types.ts';

/** The end of the last window detection processed (migration 0050): one row. */
export interface RiskWatermarkTable {
  name: string;
  processed_to: Timestamp;
  updated_at: Timestamp;
}

/** Each subject's baselines, usual hours and known networks, as JSON (migration 0050). */
export interface RiskSubjectsTable {
  subject_kind: string;
  subject_id: string;
  state: string;
  updated_at: Timestamp;
}

/** The model's reservoir of normal deviation vectors per kind of subject (migration 0050). */
export interface RiskModelsTable {
  subject_kind: string;
  reservoir: string;
  seen: number;
  updated_at: Timestamp;
}

/** Alerts (migration 0050): at most one open per rule and subject. */
export interface RiskAlertsTable {
  id: string;
  rule: string;
  severity: string;
  subject_kind: string;
  subject_id: string;
  evidence: string;
  first_seen: Timestamp;
  last_seen: Timestamp;
  count: number;
  status: string;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
  response_action: string | null;
  response_applied_at: NullableTimestamp;
  response_undone_at: NullableTimestamp;
  response_undone_by: string | null;
  /** What undoing the response needs (the organisation's previous status…), as JSON. */
  response_detail: string | null;
}

export interface RiskTables {
  risk_watermark: RiskWatermarkTable;
  risk_subjects: RiskSubjectsTable;
  risk_models: RiskModelsTable;
  risk_alerts: RiskAlertsTable;
}
