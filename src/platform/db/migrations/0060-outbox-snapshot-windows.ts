import { sql, type Kysely } from 'kysely';

/**
 * The outbox relay publishes snapshot windows instead of leasing and marking rows (decision 0011e):
 * each event carries the id of the transaction that wrote it, and one row holds the relay's place.
 * Events published before this migration are given transaction id 0 (visible in every snapshot);
 * those still unpublished id 1, which the first position (`1:1:`, nothing visible) leaves to the
 * first window, so nothing is lost or sent twice across the upgrade. The per-row lease and
 * publication columns and the indexes kept for them go: every insert paid for those indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE outbox_events ADD COLUMN xid xid8 NOT NULL DEFAULT '0'`.execute(db);
  await sql`UPDATE outbox_events SET xid = '1' WHERE published_at IS NULL`.execute(db);
  await sql`ALTER TABLE outbox_events ALTER COLUMN xid SET DEFAULT pg_current_xact_id()`.execute(db);
  await sql`CREATE INDEX outbox_events_by_xid ON outbox_events (xid)`.execute(db);
  await sql`DROP INDEX outbox_events_unpublished`.execute(db);
  await sql`DROP INDEX outbox_events_unpublished_by_aggregate`.execute(db);
  await sql`DROP INDEX outbox_events_published`.execute(db);
  await sql`ALTER TABLE outbox_events DROP COLUMN published_at, DROP COLUMN claimed_until, DROP COLUMN attempts, DROP COLUMN last_error`.execute(db);
  await sql`
    CREATE TABLE outbox_relay_positions (
      name text PRIMARY KEY,
      done pg_snapshot NOT NULL,
      target pg_snapshot,
      after_seq bigint NOT NULL DEFAULT 0,
      holder text,
      held_until timestamptz
    )`.execute(db);
  await sql`INSERT INTO outbox_relay_positions (name, done) VALUES ('outbox', '1:1:')`.execute(db);
}
