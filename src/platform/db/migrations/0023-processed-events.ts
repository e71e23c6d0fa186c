import { sql, type Kysely } from 'kysely';

/**
 * The consumers' inbox: a consumer records an event id here in the transaction that applies the
 * event, so an event delivered again (at-least-once bus) is applied once per consumer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE processed_events (
      consumer text NOT NULL,
      event_id uuid NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`.execute(db);
}
