import type { Logger } from 'pino';
import type { Bus, BusEvent, Subscription } from '../bus/index.ts';
import type { DomainEvent, EventDefinition } from './domain-event.ts';
import { aggregateSubjectFilter } from './event-catalogue.ts';

export interface Consumer {
  /** The consumer's durable name: every process consuming under it shares one delivery of each event. */
  readonly name: string;
  /** The events it reacts to; others of the same aggregates pass by. */
  readonly events: readonly EventDefinition[];
}

export type DomainEventHandler = (event: DomainEvent) => Promise<void>;

/**
 * Subscribes a consumer to its events: one durable subscription per aggregate type, so that an
 * aggregate's events reach it in order whatever their types. Each event is checked against its
 * declared payload validator before the handler sees it; one that fails the check is a broken
 * contract, logged and passed by rather than retried for ever.
 */
export async function consumeEvents(bus: Bus, logger: Logger, consumer: Consumer, handler: DomainEventHandler): Promise<Subscription> {
  const aggregateTypes = [...new Set(consumer.events.map((definition) => definition.aggregateType))];
  const subscriptions: Subscription[] = [];
  const stopAll = async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  };
  try {
    for (const aggregateType of aggregateTypes) {
      const durable = aggregateTypes.length === 1 ? consumer.name : `${consumer.name}-${aggregateType}`;
      subscriptions.push(
        await bus.subscribe({ subject: aggregateSubjectFilter(aggregateType), durable }, async (message) => {
          const definition = consumer.events.find((d) => d.type === message.type && d.version === message.version && d.aggregateType === aggregateType);
          if (!definition) return;
          const event = toDomainEvent(message, definition, logger.child({ consumer: consumer.name }));
          if (event) await handler(event);
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
    payload: parsed.data,
  };
}
