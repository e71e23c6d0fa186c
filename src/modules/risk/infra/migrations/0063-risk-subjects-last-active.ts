import { sql, type Kysely } from 'kysely';

/**
 * Subjects by when they were last active (a subject's row is written only in windows it acted
 * in): housekeeping forgets those idle past RISK_SUBJECT_RETENTION_DAYS, a batch at a time, by
 * this index rather than a scan of every subject ever seen.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX risk_subjects_updated_at ON risk_subjects (updated_at)`.execute(db);
}
