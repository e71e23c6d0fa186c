import { inSpan, SpanKind } from '../tracing/index.ts';
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Bus, BusEvent, Subscription } from '../bus/index.ts';
import type { Db, DatabaseSchema } from '../db/index.ts';
import { applyOnceInTransaction, applyOnceStandalone } from './apply-once.ts';
import type { DomainEvent, EventDefinition } from './domain-event.ts';
import type { ConsumerObserver } from './consumer-metrics.ts';
import { aggregateSubjectFilter } from './event-catalogue.ts';

interface ConsumerBase {
  /**
   * The consumer's durable name, also its name in the inbox: every process consuming under it
   * shares one delivery of each event.
   */
  readonly name: string;
  /** The events it reacts to; others of the same aggregates pass by. */
  readonly events: readonly EventDefinition[];
}

/** A consumer whose effect is written in this database: applied with its inbox record, exactly once. */
export interface TransactionalConsumer extends ConsumerBase {
  readonly transactional: true;
  apply(event: DomainEvent, trx: Transaction<DatabaseSchema>): Promise<void>;
}

/**
 * A consumer whose effect is elsewhere (a cache, another store): at least once, so idempotent. It
 * is handed every event waiting for it at once (in order, those the inbox has not seen), so it can
 * coalesce their effects: many changes of one account, one refresh.
 */
export interface StandaloneConsumer extends ConsumerBase {
  readonly transactional: false;
  apply(events: readonly DomainEvent[]): Promise<void>;
}

export type Consumer = TransactionalConsumer | StandaloneConsumer;

export interface ConsumerDeps {
  readonly bus: Bus;
  readonly db: Db;
  readonly logger: Logger;
  /** Told of each delivery a consumer handled or failed (`ConsumerMetrics`). */
  readonly observer?: ConsumerObserver | undefined;
}

/** The most events a standalone consumer is handed at once. */
const STANDALONE_BATCH = 100;

/**
 * Subscribes a consumer to its events: one durable subscription per aggregate type, so that an
 * aggregate's events reach it in order whatever their types. Each event is checked against its
 * declared payload validator, then applied through the inbox (`processed_events`), so an event
 * the bus delivers again is applied once. One that fails the check is a broken contract, logged
 * and passed by rather than retried for ever. A standalone consumer takes the events waiting for
 * it together (`StandaloneConsumer`); a transactional one applies each in its own transaction.
 */
export async function consumeEvents({ bus, db, logger, observer }: ConsumerDeps, consumer: Consumer): Promise<Subscription> {
  const aggregateTypes = [...new Set(consumer.events.map((definition) => definition.aggregateType))];
  const consumerLogger = logger.child({ consumer: consumer.name });
  const subscriptions: Subscription[] = [];
  const stopAll = async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  };
  try {
    for (const aggregateType of aggregateTypes) {
      // Named with the aggregate type it filters on: JetStream keeps a durable's filter, so a name
      // that once filtered on another subject must not be reused.
      const durable = `${consumer.name}-${aggregateType}`;
      subscriptions.push(
        await bus.subscribe({ subject: aggregateSubjectFilter(aggregateType), durable, maxBatch: consumer.transactional ? 1 : STANDALONE_BATCH }, async (messages) => {
          const events = messages.flatMap((message) => {
            const definition = consumer.events.find((d) => d.type === message.type && d.version === message.version && d.aggregateType === aggregateType);
            const event = definition && toDomainEvent(message, definition, consumerLogger);
            return event ? [event] : [];
          });
          if (events.length === 0) return;
          const interactions = [...new Set(events.flatMap((event) => (event.correlationId ? [event.correlationId] : [])))];
          const attributes = { 'messaging.system': 'nats', 'messaging.consumer.group.name': consumer.name, 'messaging.batch.message_count': events.length, 'fapi.interaction_id': interactions };
          try {
            await inSpan(`consume ${consumer.name}`, attributes, async () => {
              if (!consumer.transactional) await applyOnceStandalone(db, consumer.name, events, (fresh) => consumer.apply(fresh));
              else for (const event of events) await applyOnceInTransaction(db, consumer.name, event.id, (trx) => consumer.apply(event, trx));
            }, SpanKind.CONSUMER);
          } catch (error) {
            observer?.failed(consumer.name);
            throw error;
          }
          observer?.applied(consumer.name, events, new Date());
        }),
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { stop: stopAll };
}

function toDomainEvent(message: BusEvent, definition: EventDefinition, logger: Logger): DomainEvent | undefined {
  const parsed = definition.payload.safeParse(message.payload);
  if (!parsed.success || !message.aggregate) {
    logger.error({ eventId: message.id, type: message.type, version: message.version, issues: parsed.error?.issues }, 'event does not match its declared contract; passed by');
    return undefined;
  }
  return {
    id: message.id,
    type: definition.type,
    version: definition.version,
    aggregate: message.aggregate,
    occurredAt: message.occurredAt,
    tppClientId: message.tppClientId ?? null,
    correlationId: message.correlationId ?? null,
    payload: parsed.data,
  };
}
