import { sql, type Kysely } from 'kysely';

/**
 * The interaction an event comes from (docs/events.md): an outbox row carries the id of the call
 * that caused it (`x-fapi-interaction-id`), and each aggregate's stream row the last such id, which
 * the aggregate's later events without a call of their own (a payment settled by a worker) inherit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE outbox_events ADD COLUMN correlation_id text`.execute(db);
  await sql`ALTER TABLE event_streams ADD COLUMN correlation_id text`.execute(db);
}
