import { sql, type Kysely } from 'kysely';

/**
 * Anomaly detection (docs/risk.md): the watermark of the last window processed, each subject's
 * baselines, the model's reservoirs and the alerts, at most one open per rule and subject.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE risk_watermark (
      name text PRIMARY KEY,
      processed_to timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE risk_subjects (
      subject_kind text NOT NULL,
      subject_id text NOT NULL,
      state text NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (subject_kind, subject_id)
    )`.execute(db);
  await sql`
    CREATE TABLE risk_models (
      subject_kind text PRIMARY KEY,
      reservoir text NOT NULL,
      seen integer NOT NULL,
      updated_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE risk_alerts (
      id text PRIMARY KEY,
      rule text NOT NULL,
      severity text NOT NULL,
      subject_kind text NOT NULL,
      subject_id text NOT NULL,
      evidence text NOT NULL,
      first_seen timestamptz NOT NULL,
      last_seen timestamptz NOT NULL,
      count integer NOT NULL,
      status text NOT NULL,
      resolved_at timestamptz,
      resolved_by text,
      response_action text,
      response_applied_at timestamptz,
      response_undone_at timestamptz,
      response_undone_by text,
      response_detail text
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX risk_alerts_open ON risk_alerts (rule, subject_kind, subject_id) WHERE status = 'open'`.execute(db);
  await sql`CREATE INDEX risk_alerts_subject ON risk_alerts (subject_id, last_seen)`.execute(db);
  await sql`CREATE INDEX risk_alerts_last_seen ON risk_alerts (status, last_seen)`.execute(db);
}

