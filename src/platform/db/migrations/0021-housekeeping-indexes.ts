import { sql, type Kysely } from 'kysely';

/**
 * What housekeeping deletes (src/app/housekeeping-jobs.ts) found by index rather than by scanning
 * tables that grow with every event and job: published outbox events by publication time, finished
 * jobs by finishing time. (Idempotency keys and authorisation-server records have theirs already.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX outbox_events_published ON outbox_events (published_at) WHERE published_at IS NOT NULL`.execute(db);
  await sql`CREATE INDEX scheduled_jobs_finished ON scheduled_jobs (finished_at) WHERE status IN ('done', 'failed')`.execute(db);
}
