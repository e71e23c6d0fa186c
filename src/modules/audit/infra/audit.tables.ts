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

export interface AuditTables {
  audit_partitions: AuditPartitionsTable;
  audit_records: AuditRecordsTable;
  audit_checkpoints: AuditCheckpointsTable;
}
