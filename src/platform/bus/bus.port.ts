/** An event as it travels on the bus. `id` is unique per event and used for de-duplication. */
export interface BusEvent<T = unknown> {
  readonly id: string;
  /** Dot-separated subject relative to the bus namespace, e.g. `consent.<id>.ConsentStatusChanged.v1` (src/platform/events). */
  readonly subject: string;
  readonly occurredAt: string;
  readonly payload: T;
  /** The event contract's envelope (src/platform/events): what happened, to which aggregate, for whom. */
  readonly type?: string;
  readonly version?: number;
  readonly aggregate?: { readonly type: string; readonly id: string; readonly version: number };
  readonly tppClientId?: string | null;
  /** The interaction id of the call the event comes from (or its aggregate's last call's); null when none. */
  readonly correlationId?: string | null;
}

/**
 * Handles events delivered together, in the order they were published: a consumer that can
 * coalesce their effects (one refresh for many changes of an account) does its work once. They are
 * acknowledged together when it resolves and all delivered again when it throws.
 */
export type EventHandler = (events: readonly BusEvent[]) => Promise<void>;

/** Deliveries of a failing batch made at the first delay before the wait grows. */
const QUICK_REDELIVERIES = 10;
/** The longest wait between deliveries of a batch that keeps failing. */
export const MAX_REDELIVERY_DELAY_MS = 30_000;

/**
 * How long to wait before delivering a failed batch again, after its `failures`-th failure: the
 * first delay while a short outage (a database restart, a failover) may be over at once, then
 * twice as long each time up to 30 s, so that an event no delivery can get past is not retried
 * many times a second for as long as it waits for an operator.
 */
export function redeliveryDelayMs(failures: number, firstDelayMs: number): number {
  if (failures <= QUICK_REDELIVERIES) return firstDelayMs;
  return Math.min(MAX_REDELIVERY_DELAY_MS, firstDelayMs * 2 ** Math.min(failures - QUICK_REDELIVERIES, 16));
}

export interface SubscribeOptions {
  /** Subject filter; `*` matches one token, `>` the rest (NATS wildcard rules). */
  readonly subject: string;
  /**
   * Durable consumer name. Every process subscribing with the same name shares one stream of
   * deliveries (each event handled once per name); different names each get every event.
   */
  readonly durable: string;
  /**
   * At most this many events per call of the handler (default 1): every event already waiting for
   * the consumer when it is free, up to this many. A batch is never held back to fill it.
   */
  readonly maxBatch?: number;
}

export interface Subscription {
  stop(): Promise<void>;
}

/**
 * The event bus: at-least-once delivery, publishers de-duplicated by event id, handlers retried
 * until they succeed. Handlers must be idempotent.
 */
export interface Bus {
  readonly kind: 'nats' | 'memory';
  publish(event: BusEvent): Promise<void>;
  subscribe(options: SubscribeOptions, handler: EventHandler): Promise<Subscription>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
