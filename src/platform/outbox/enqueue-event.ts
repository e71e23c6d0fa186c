import type { Kysely, Transaction } from 'kysely';
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

async function insert(trx: Writer, event: OutboxEvent): Promise<void> {
  await trx
    .insertInto('outbox_events')
    .values({
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
    })
    .execute();
}
