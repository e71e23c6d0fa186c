export { enqueueEvents, enqueueNextEventsOfAggregates } from './enqueue-event.ts';
export type { OutboxEvent } from './enqueue-event.ts';
export { OutboxRelay } from './outbox-relay.ts';
export { OutboxMetrics } from './outbox-metrics.ts';
export type { OutboxRelayObserver } from './outbox-metrics.ts';
export type { OutboxRelayOptions } from './outbox-relay.ts';
export { deletePublishedEvents } from './delete-published-events.ts';
export { unpublishedBacklog } from './relay-position.ts';
