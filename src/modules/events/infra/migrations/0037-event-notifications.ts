import { sql, type Kysely } from 'kysely';

/**
 * Event notifications to TPPs (src/modules/events, docs/events.md): each TPP's one subscription,
 * and the notifications raised for it from domain events, kept until pushed, acknowledged by a
 * poll, or past their retention. A notification is raised once per domain event
 * (`source_event_id`); `seq` orders a resource's notifications for delivery.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE event_subscriptions (
      id text PRIMARY KEY,
      client_id text NOT NULL UNIQUE,
      callback_url text,
      kinds jsonb,
      version text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE event_notifications (
      id text PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      client_id text NOT NULL,
      source_event_id text NOT NULL UNIQUE,
      kinds jsonb NOT NULL,
      resource jsonb NOT NULL,
      resource_key text NOT NULL,
      correlation_id text,
      occurred_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'acknowledged', 'refused', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      claimed_until timestamptz,
      last_error text,
      finished_at timestamptz
    )`.execute(db);
  // A poll: the TPP's notifications still to be fetched, in raising order.
  await sql`CREATE INDEX event_notifications_waiting ON event_notifications (client_id, seq) WHERE status IN ('pending', 'dead')`.execute(db);
  // Push delivery: the pending notifications of each resource, in order.
  await sql`CREATE INDEX event_notifications_to_push ON event_notifications (resource_key, seq) WHERE status = 'pending' AND next_attempt_at IS NOT NULL`.execute(db);
  await sql`CREATE INDEX event_notifications_due ON event_notifications (next_attempt_at) WHERE status = 'pending' AND next_attempt_at IS NOT NULL`.execute(db);
  // Housekeeping: what has finished, and what is past retention.
  await sql`CREATE INDEX event_notifications_finished ON event_notifications (finished_at) WHERE finished_at IS NOT NULL`.execute(db);
  await sql`CREATE INDEX event_notifications_expiry ON event_notifications (expires_at)`.execute(db);
}
