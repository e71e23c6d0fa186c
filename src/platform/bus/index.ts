export type { Bus, BusEvent, EventHandler, SubscribeOptions, Subscription } from './bus.port.ts';
export { MAX_REDELIVERY_DELAY_MS, redeliveryDelayMs } from './bus.port.ts';
export { MemoryBus } from './memory-bus.ts';
export { NatsBus } from './nats-bus.ts';
export type { NatsBusOptions } from './nats-bus.ts';
export { createBus } from './create-bus.ts';
export { subjectMatches } from './subject-matches.ts';
