import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../db/index.ts';
import type { BusEvent } from '../bus/index.ts';

/**
 * Records an event in the outbox as part of the caller's transaction: it reaches the bus if and
 * only if that transaction commits (DESIGN.md §2.7).
 */
export async function enqueueEvent<T>(
  trx: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>,
  subject: string,
  payload: T,
  options: { id?: string; occurredAt?: Date } = {},
): Promise<BusEvent<T>> {
  const event: BusEvent<T> = {
    id: options.id ?? randomUUID(),
    subject,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    payload,
  };
  await trx
    .insertInto('outbox_events')
    .values({ id: event.id, subject, payload: JSON.stringify(payload), occurred_at: event.occurredAt })
    .execute();
  return event;
}
