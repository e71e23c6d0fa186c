export type { DomainEvent, EventDefinition, PayloadOf } from './domain-event.ts';
export { defineEvent, findEventDefinition, listEventDefinitions, subjectOf, aggregateSubjectFilter, isEventOf } from './event-catalogue.ts';
export { recordEvent, recordEventIn, recordEvents, recordEventsIn } from './record-event.ts';
export type { Fact } from './record-event.ts';
export { consumeEvents } from './consume-events.ts';
export type { Consumer, ConsumerDeps, StandaloneConsumer, TransactionalConsumer } from './consume-events.ts';
export { applyOnceInTransaction, applyOnceStandalone } from './apply-once.ts';
export { deleteProcessedEvents } from './delete-processed-events.ts';
