import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../db/index.ts';
import { toScheduledJob, type ScheduledJob } from './scheduled-job.ts';

/** The job scheduled under a dedupe key, in whatever state it is. */
export async function findJob<P = unknown>(
  db: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>,
  dedupeKey: string,
): Promise<ScheduledJob<P> | undefined> {
  const row = await db.selectFrom('scheduled_jobs').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirst();
  return row && toScheduledJob<P>(row);
}
