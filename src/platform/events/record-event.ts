import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { transactionOf, type DatabaseSchema, type TxContext } from '../db/index.ts';
import { enqueueEvent, enqueueNextEventOfAggregate } from '../outbox/index.ts';
import type { DomainEvent, EventDefinition } from './domain-event.ts';
import { subjectOf } from './event-catalogue.ts';

export interface Fact<P> {
  readonly aggregateId: string;
  /** The OAuth client id of the TPP concerned; null for the bank's own facts. */
  readonly tppClientId: string | null;
  readonly payload: P;
  readonly occurredAt?: Date;
  readonly id?: string;
}

/**
 * Records an event in the outbox as part of the caller's transaction (DESIGN.md §2.7): it
 * reaches the bus if and only if that transaction commits. The payload is checked against its
 * declared validator first, and the event stored as the aggregate's next version, in one
 * statement (`enqueueNextEventOfAggregate`): an aggregate's events commit, and are published, in
 * version order.
 */
export async function recordEvent<P>(
  db: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>,
  definition: EventDefinition<P>,
  fact: Fact<P>,
): Promise<DomainEvent<P>> {
  if (!db.isTransaction) return db.transaction().execute((trx) => recordEvent(trx, definition, fact));
  const payload = definition.payload.parse(fact.payload);
  const event: DomainEvent<P> = {
    id: fact.id ?? randomUUID(),
    type: definition.type,
    version: definition.version,
    aggregate: { type: definition.aggregateType, id: fact.aggregateId, version: 1 },
    occurredAt: (fact.occurredAt ?? new Date()).toISOString(),
    tppClientId: fact.tppClientId,
    payload,
  };
  const stored = { ...event, subject: subjectOf(definition, fact.aggregateId) };
  if (definition.onlyEventOfAggregate) {
    await enqueueEvent(db, stored);
    return event;
  }
  return { ...event, aggregate: { ...event.aggregate, version: await enqueueNextEventOfAggregate(db, stored) } };
}

/**
 * `recordEvent` in a unit of work's transaction (src/platform/db/unit-of-work.ts), for modules that
 * hold a `TxContext` rather than a Kysely transaction: the event commits with their writes.
 */
export function recordEventIn<P>(tx: TxContext, definition: EventDefinition<P>, fact: Fact<P>): Promise<DomainEvent<P>> {
  return recordEvent(transactionOf<DatabaseSchema>(tx), definition, fact);
}
