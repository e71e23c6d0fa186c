import { sql, type Kysely } from 'kysely';

/**
 * How long a notification's push is retried (docs/events.md): until `retry_until`, set when it is
 * raised and again when an operator replays it from the dead-letter queue; a failure after it
 * moves the notification to the dead-letter queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE event_notifications ADD COLUMN retry_until timestamptz`.execute(db);
  await sql`UPDATE event_notifications SET retry_until = created_at + interval '24 hours'`.execute(db);
  await sql`ALTER TABLE event_notifications ALTER COLUMN retry_until SET NOT NULL`.execute(db);
  // The operator's look at the dead-letter queue, oldest first.
  await sql`CREATE INDEX event_notifications_dead ON event_notifications (seq) WHERE status = 'dead'`.execute(db);
}
