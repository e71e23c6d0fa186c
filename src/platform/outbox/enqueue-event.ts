import { sql, type Kysely, type Transaction } from 'kysely';
import type { DatabaseSchema } from '../db/index.ts';
import type { BusEvent } from '../bus/index.ts';

/** An event as the outbox stores it: the bus event with the whole contract envelope. */
export type OutboxEvent = BusEvent & Required<Pick<BusEvent, 'type' | 'version' | 'aggregate' | 'tppClientId'>>;

type Writer = Transaction<DatabaseSchema> | Kysely<DatabaseSchema>;

/**
 * Inserts an event into the outbox inside the caller's transaction. Every event is of the typed
 * catalogue: modules and the core record them through `recordEvent` (src/platform/events), which
 * numbers the aggregate's versions and checks payloads.
 */
export async function enqueueEvent(trx: Writer, event: OutboxEvent): Promise<void> {
  await insert(trx, event);
}

/**
 * Inserts an event as the next version of its aggregate (`event.aggregate.version` is ignored) and
 * answers that version: the aggregate's stream row (`event_streams`) is bumped and the event
 * inserted in one statement, one round trip. The stream row stays locked until the caller's
 * transaction ends, so an aggregate's events commit in version order; and the event is selected
 * from the bumped row, so its `seq` (the order the relay publishes an aggregate's events in) is
 * drawn only once that lock is held, in version order too.
 */
export async function enqueueNextEventOfAggregate(trx: Writer, event: OutboxEvent): Promise<number> {
  const row = rowOf(event);
  const { rows } = await sql<{ aggregate_version: number }>`
    WITH stream AS (
      INSERT INTO event_streams (aggregate_type, aggregate_id, version) VALUES (${row.aggregate_type}, ${row.aggregate_id}, 1)
      ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET version = event_streams.version + 1
      RETURNING version
    )
    INSERT INTO outbox_events (id, subject, payload, occurred_at, event_type, event_version, aggregate_type, aggregate_id, aggregate_version, tpp_client_id)
    SELECT ${row.id}::uuid, ${row.subject}::text, ${row.payload}::jsonb, ${row.occurred_at}::timestamptz, ${row.event_type}::text, ${row.event_version}::integer,
           ${row.aggregate_type}::text, ${row.aggregate_id}::text, stream.version, ${row.tpp_client_id}::text
    FROM stream
    RETURNING aggregate_version`.execute(trx);
  return rows[0]!.aggregate_version;
}

async function insert(trx: Writer, event: OutboxEvent): Promise<void> {
  await trx.insertInto('outbox_events').values(rowOf(event)).execute();
}

function rowOf(event: OutboxEvent) {
  return {
    id: event.id,
    subject: event.subject,
    payload: JSON.stringify(event.payload),
    occurred_at: event.occurredAt,
    event_type: event.type,
    event_version: event.version,
    aggregate_type: event.aggregate.type,
    aggregate_id: event.aggregate.id,
    aggregate_version: event.aggregate.version,
    tpp_client_id: event.tppClientId,
  };
}
