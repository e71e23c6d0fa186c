import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { transactionOf, type DatabaseSchema, type TxContext } from '../db/index.ts';
import { enqueueEvents, enqueueNextEventsOfAggregates } from '../outbox/index.ts';
import type { DomainEvent, EventDefinition } from './domain-event.ts';
import { currentInteractionId } from './correlation.ts';
import { subjectOf } from './event-catalogue.ts';

export interface Fact<P> {
  readonly aggregateId: string;
  /** The OAuth client id of the TPP concerned; null for the bank's own facts. */
  readonly tppClientId: string | null;
  readonly payload: P;
  readonly occurredAt?: Date;
  readonly id?: string;
  /** The interaction the fact comes from; by default the one the code runs for (`runInInteraction`). */
  readonly correlationId?: string | null;
}

/**
 * Records an event in the outbox as part of the caller's transaction (DESIGN.md §2.7): it
 * reaches the bus if and only if that transaction commits. The payload is checked against its
 * declared validator first, and the event stored as the aggregate's next version, in one
 * statement (`enqueueNextEventsOfAggregates`): an aggregate's events commit, and are published, in
 * version order.
 */
export async function recordEvent<P>(
  db: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>,
  definition: EventDefinition<P>,
  fact: Fact<P>,
): Promise<DomainEvent<P>> {
  return (await recordEvents(db, definition, [fact]))[0]!;
}

/**
 * `recordEvent` for several facts of one type, each of a different aggregate, in one statement
 * (a batch of payments booked together, say). Facts of one aggregate are recorded one after the
 * other instead, in the order given, so that their versions follow that order.
 */
export async function recordEvents<P>(
  db: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>,
  definition: EventDefinition<P>,
  facts: readonly Fact<P>[],
): Promise<Array<DomainEvent<P>>> {
  if (!db.isTransaction) return db.transaction().execute((trx) => recordEvents(trx, definition, facts));
  const events = facts.map((fact): DomainEvent<P> => ({
    id: fact.id ?? randomUUID(),
    type: definition.type,
    version: definition.version,
    aggregate: { type: definition.aggregateType, id: fact.aggregateId, version: 1 },
    occurredAt: (fact.occurredAt ?? new Date()).toISOString(),
    tppClientId: fact.tppClientId,
    correlationId: fact.correlationId ?? currentInteractionId() ?? null,
    payload: definition.payload.parse(fact.payload),
  }));
  const stored = events.map((event) => ({ ...event, subject: subjectOf(definition, event.aggregate.id) }));
  if (definition.onlyEventOfAggregate) {
    await enqueueEvents(db, stored);
    return events;
  }
  const distinct = new Set(events.map((event) => event.aggregate.id)).size === events.length;
  const numbered = distinct ? await enqueueNextEventsOfAggregates(db, stored) : await inTurn(db, stored);
  return events.map((event, i) => ({ ...event, aggregate: { ...event.aggregate, version: numbered[i]!.version }, correlationId: numbered[i]!.correlationId }));
}

type Numbered = Awaited<ReturnType<typeof enqueueNextEventsOfAggregates>>[number];

async function inTurn(db: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>, stored: ReadonlyArray<Parameters<typeof enqueueNextEventsOfAggregates>[1][number]>): Promise<Numbered[]> {
  const numbered: Numbered[] = [];
  for (const event of stored) numbered.push(...(await enqueueNextEventsOfAggregates(db, [event])));
  return numbered;
}

/**
 * `recordEvent` in a unit of work's transaction (src/platform/db/unit-of-work.ts), for modules that
 * hold a `TxContext` rather than a Kysely transaction: the event commits with their writes.
 */
export function recordEventIn<P>(tx: TxContext, definition: EventDefinition<P>, fact: Fact<P>): Promise<DomainEvent<P>> {
  return recordEvent(transactionOf<DatabaseSchema>(tx), definition, fact);
}

/** `recordEvents` in a unit of work's transaction. */
export function recordEventsIn<P>(tx: TxContext, definition: EventDefinition<P>, facts: readonly Fact<P>[]): Promise<Array<DomainEvent<P>>> {
  return recordEvents(transactionOf<DatabaseSchema>(tx), definition, facts);
}
