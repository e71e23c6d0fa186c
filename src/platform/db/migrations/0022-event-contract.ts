import { sql, type Kysely } from 'kysely';

/**
 * The event contract (docs/decisions/0003a-event-envelope.md): every outbox row names its event
 * type and version, the aggregate it is about with that aggregate's version, and the TPP client it
 * concerns. `event_streams` holds each aggregate's latest version: bumping it in the writing
 * transaction numbers an aggregate's events without gaps and serialises their commits, so an
 * aggregate's events commit in version order. `claimed_until` is a relay's lease on a row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE outbox_events
      ADD COLUMN event_type text,
      ADD COLUMN event_version integer,
      ADD COLUMN aggregate_type text,
      ADD COLUMN aggregate_id text,
      ADD COLUMN aggregate_version integer,
      ADD COLUMN tpp_client_id text,
      ADD COLUMN claimed_until timestamptz`.execute(db);
  // Rows written before the contract: each its own one-event aggregate, named by its subject.
  await sql`
    UPDATE outbox_events
       SET event_type = subject, event_version = 1, aggregate_type = 'legacy', aggregate_id = id::text, aggregate_version = 1`.execute(db);
  await sql`
    ALTER TABLE outbox_events
      ALTER COLUMN event_type SET NOT NULL,
      ALTER COLUMN event_version SET NOT NULL,
      ALTER COLUMN aggregate_type SET NOT NULL,
      ALTER COLUMN aggregate_id SET NOT NULL,
      ALTER COLUMN aggregate_version SET NOT NULL`.execute(db);
  // The relay's per-aggregate ordering check: the earliest unpublished event of an aggregate.
  await sql`CREATE INDEX outbox_events_unpublished_by_aggregate ON outbox_events (aggregate_type, aggregate_id, seq) WHERE published_at IS NULL`.execute(db);
  await sql`
    CREATE TABLE event_streams (
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      version integer NOT NULL CHECK (version > 0),
      PRIMARY KEY (aggregate_type, aggregate_id)
    )`.execute(db);
}
