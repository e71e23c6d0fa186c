import { sql, type Kysely } from 'kysely';

/**
 * Verifications of the audit trail run by the workers (docs/audit.md): each run, who asked for it,
 * its range and progress, and the verdict of each day it has read. At a large bank's volume a
 * day's chain takes long to hash; a run is a job, and the console shows its progress and outcome.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_verifications (
      id text PRIMARY KEY,
      requested_by text NOT NULL,
      requested_at timestamptz NOT NULL,
      from_day text,
      to_day text,
      status text NOT NULL,
      days_total integer,
      days_done integer NOT NULL DEFAULT 0,
      records bigint NOT NULL DEFAULT 0,
      first_break jsonb,
      error text,
      started_at timestamptz,
      finished_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX audit_verifications_requested ON audit_verifications (requested_at DESC)`.execute(db);
  await sql`
    CREATE TABLE audit_verification_days (
      verification_id text NOT NULL REFERENCES audit_verifications (id) ON DELETE CASCADE,
      partition text NOT NULL,
      status text NOT NULL,
      records bigint NOT NULL,
      checkpoints integer NOT NULL,
      break jsonb,
      PRIMARY KEY (verification_id, partition)
    )`.execute(db);
}
