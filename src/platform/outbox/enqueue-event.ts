import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../db/index.ts';
import type { BusEvent } from '../bus/index.ts';

/** An event as the outbox stores it: the bus event with the whole contract envelope. */
export type OutboxEvent = BusEvent & Required<Pick<BusEvent, 'type' | 'version' | 'aggregate' | 'tppClientId'>>;

type Writer = Transaction<DatabaseSchema> | Kysely<DatabaseSchema>;

/**
 * Inserts an event into the outbox inside the caller's transaction. Modules record events through
 * `recordEvent` (src/platform/events), which numbers the aggregate's versions and checks payloads.
 * The `(subject, payload)` form is for events outside the catalogue (the core's own events, whose
 * subjects the core-events port fixes): each is an aggregate of its own, typed by its subject.
 */
export async function enqueueEvent(trx: Writer, event: OutboxEvent): Promise<void>;
export async function enqueueEvent<T>(trx: Writer, subject: string, payload: T, options?: { id?: string; occurredAt?: Date }): Promise<BusEvent<T>>;
export async function enqueueEvent<T>(
  trx: Writer,
  eventOrSubject: OutboxEvent | string,
  payload?: T,
  options: { id?: string; occurredAt?: Date } = {},
): Promise<BusEvent<T> | void> {
  if (typeof eventOrSubject !== 'string') return insert(trx, eventOrSubject);
  const id = options.id ?? randomUUID();
  const event = {
    id,
    subject: eventOrSubject,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    payload: payload as T,
    type: eventOrSubject,
    version: 1,
    aggregate: { type: 'subject', id, version: 1 },
    tppClientId: null,
  };
  await insert(trx, event);
  return event;
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
