import { sql, type Kysely } from 'kysely';

/** Transactional outbox (DESIGN.md §2.7): rows written in the business transaction, relayed to the bus. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE outbox_events (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL UNIQUE,
      subject text NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      published_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    )`.execute(db);
  await sql`CREATE INDEX outbox_events_unpublished ON outbox_events (seq) WHERE published_at IS NULL`.execute(db);
}
