import type { DomainEvent, EventDefinition, StandaloneConsumer } from '../../platform/events/index.ts';
import type { AuditEntry, AuditKind } from './audit-record.ts';

/** The audit consumer's durable name. */
export const AUDIT_EVENTS_CONSUMER = 'audit-trail';

/** Which kind of record the events of an aggregate type make (others: `operator`). */
const KIND_OF_AGGREGATE: Readonly<Record<string, AuditKind>> = {
  consent: 'consent',
  payment: 'payment',
  'standing-order': 'payment',
  'register-entity': 'trust',
  'tpp-certificate': 'trust',
  'operator-action': 'operator',
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * The record of a state change: its event's type, the new status where the event names one, the
 * TPP, consent and PSU it concerns (a new payment's event names its PSU) and the interaction it
 * came from. Recorded when it reaches the trail; the event's own time and its payload are in the
 * details.
 */
export function entryOfEvent(event: DomainEvent, now: Date): AuditEntry {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  return {
    at: now,
    kind: KIND_OF_AGGREGATE[event.aggregate.type] ?? 'operator',
    action: text(payload['action']) ?? event.type,
    outcome: text(payload['status']) ?? text(payload['outcome']) ?? 'recorded',
    clientId: event.tppClientId ?? undefined,
    consentId: text(payload['consentId']) ?? (event.aggregate.type === 'consent' ? event.aggregate.id : undefined),
    psuId: text(payload['psuId']),
    interactionId: event.correlationId ?? undefined,
    details: { eventId: event.id, version: event.version, aggregate: event.aggregate, occurredAt: event.occurredAt, payload },
  };
}

/**
 * Records every state change the given events carry, acknowledged only once committed to the
 * trail: an event is redelivered until its record is written, so none is lost (one recorded twice
 * after a crash carries the same `eventId`).
 */
export function auditConsumer(events: readonly EventDefinition[], recordDurably: (entries: readonly AuditEntry[]) => Promise<void>): StandaloneConsumer {
  return {
    name: AUDIT_EVENTS_CONSUMER,
    events,
    transactional: false,
    apply: async (delivered) => {
      const now = new Date();
      await recordDurably(delivered.map((event) => entryOfEvent(event, now)));
    },
  };
}
