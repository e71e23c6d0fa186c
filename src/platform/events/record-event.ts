import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { deferUntilCommit, transactionOf, type DatabaseSchema, type TxContext } from '../db/index.ts';
import { enqueueEvents, enqueueNextEventsOfAggregates, type OutboxEvent } from '../outbox/index.ts';
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
 * `recordEvent` for several facts of one type, each of a different aggregate in one statement
 * (a batch of payments booked together, say). Several facts of one aggregate take a statement per
 * fact of the busiest aggregate (`writeInRounds`), so that their versions follow the order given.
 */
export async function recordEvents<P>(
  db: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>,
  definition: EventDefinition<P>,
  facts: readonly Fact<P>[],
): Promise<Array<DomainEvent<P>>> {
  if (!db.isTransaction) return db.transaction().execute((trx) => recordEvents(trx, definition, facts));
  const stored = facts.map((fact) => storedEvent(definition, fact));
  const events = stored.map(({ subject: _subject, ...event }) => event as DomainEvent<P>);
  if (definition.onlyEventOfAggregate) {
    await enqueueEvents(db, stored);
    return events;
  }
  const numbered = await writeInRounds(db, stored);
  return events.map((event, i) => ({ ...event, aggregate: { ...event.aggregate, version: numbered[i]!.version }, correlationId: numbered[i]!.correlationId }));
}

/** A fact as the outbox stores it: its payload checked, its envelope filled in (version 1 until written). */
function storedEvent<P>(definition: EventDefinition<P>, fact: Fact<P>): OutboxEvent {
  return {
    id: fact.id ?? randomUUID(),
    type: definition.type,
    version: definition.version,
    aggregate: { type: definition.aggregateType, id: fact.aggregateId, version: 1 },
    occurredAt: (fact.occurredAt ?? new Date()).toISOString(),
    tppClientId: fact.tppClientId,
    correlationId: fact.correlationId ?? currentInteractionId() ?? null,
    payload: definition.payload.parse(fact.payload),
    subject: subjectOf(definition, fact.aggregateId),
  };
}

/** The events recorded in a unit of work's transaction and not yet written: written just before it commits. */
const pending = new WeakMap<TxContext, OutboxEvent[]>();

/**
 * `recordEvent` in a unit of work's transaction (src/platform/db/unit-of-work.ts), for modules that
 * hold a `TxContext` rather than a Kysely transaction: the event commits with their writes. Its
 * payload is checked now; it is written, with every other event recorded in that transaction, in one
 * statement just before the transaction commits (a submission's consent and payment events together),
 * and in the order recorded for each aggregate.
 */
export async function recordEventIn<P>(tx: TxContext, definition: EventDefinition<P>, fact: Fact<P>): Promise<void> {
  await recordEventsIn(tx, definition, [fact]);
}

/** `recordEvents` in a unit of work's transaction, written as `recordEventIn` writes. */
export async function recordEventsIn<P>(tx: TxContext, definition: EventDefinition<P>, facts: readonly Fact<P>[]): Promise<void> {
  const trx = transactionOf<DatabaseSchema>(tx);
  if (definition.onlyEventOfAggregate) {
    await recordEvents(trx, definition, facts);
    return;
  }
  let events = pending.get(tx);
  if (!events) {
    const gathered: OutboxEvent[] = [];
    // A transaction not opened by a unit of work has no moment before its commit: written at once.
    if (!deferUntilCommit(tx, async () => void (await writeInRounds(trx, gathered)))) {
      await recordEvents(trx, definition, facts);
      return;
    }
    pending.set(tx, (events = gathered));
  }
  events.push(...facts.map((fact) => storedEvent(definition, fact)));
}

/**
 * Events as the next versions of their aggregates, in as few statements as there are events of the
 * busiest aggregate: round n writes each aggregate's n-th event, so each aggregate's versions follow
 * the order its events were given in. Answers each event's version and correlation, in that order.
 */
async function writeInRounds(trx: Transaction<DatabaseSchema> | Kysely<DatabaseSchema>, events: readonly OutboxEvent[]): Promise<Numbered[]> {
  const rounds: Array<Array<{ readonly event: OutboxEvent; readonly index: number }>> = [];
  const seen = new Map<string, number>();
  events.forEach((event, index) => {
    const key = `${event.aggregate.type}\u0000${event.aggregate.id}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push({ event, index });
  });
  const numbered: Numbered[] = new Array(events.length);
  for (const round of rounds) {
    const written = await enqueueNextEventsOfAggregates(trx, round.map(({ event }) => event));
    round.forEach(({ index }, i) => (numbered[index] = written[i]!));
  }
  return numbered;
}

type Numbered = Awaited<ReturnType<typeof enqueueNextEventsOfAggregates>>[number];
