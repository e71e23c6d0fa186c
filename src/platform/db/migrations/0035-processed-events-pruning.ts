import { sql, type Kysely } from 'kysely';

/** Housekeeping deletes consumers' inbox records past their retention by the time they were recorded. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX processed_events_processed_at ON processed_events (processed_at)`.execute(db);
}
