import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../../../platform/db/column-types.ts';

/** The partitions of the audit trail, one per UTC day (migration 0048). */
export interface AuditPartitionsTable {
  partition: string;
  created_at: Timestamp;
  /** When retention deleted its records; its last checkpoint stays. */
  expired_at: NullableTimestamp;
}

/** The audit records, chained per partition by `prev_hash` → `hash` (migration 0048). */
export interface AuditRecordsTable {
  partition: string;
  seq: bigint;
  at: Timestamp;
  kind: string;
  action: string;
  outcome: string;
  client_id: string | null;
  organisation_id: string | null;
  consent_id: string | null;
  psu_id: string | null;
  interaction_id: string | null;
  /** The record's details as canonical JSON text: hashed as stored. */
  details: string;
  prev_hash: string;
  hash: string;
}

/** The bank-signed heads of each partition's chain (migration 0048). */
export interface AuditCheckpointsTable {
  partition: string;
  seq: bigint;
  hash: string;
  at: Timestamp;
  jws: string;
}

/** A verification of the trail run by a worker (migration 0062). */
export interface AuditVerificationsTable {
  id: string;
  requested_by: string;
  requested_at: Timestamp;
  from_day: string | null;
  to_day: string | null;
  status: string;
  days_total: number | null;
  days_done: Generated<number>;
  records: Generated<bigint>;
  first_break: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

/** A day's verdict in a verification (migration 0062). */
export interface AuditVerificationDaysTable {
  verification_id: string;
  partition: string;
  status: string;
  records: bigint;
  checkpoints: number;
  break: ColumnType<unknown, string | null, string | null>;
}

export interface AuditTables {
  audit_partitions: AuditPartitionsTable;
  audit_records: AuditRecordsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_verifications: AuditVerificationsTable;
  audit_verification_days: AuditVerificationDaysTable;
}
