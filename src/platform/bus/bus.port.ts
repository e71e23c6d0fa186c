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
}

export type EventHandler = (event: BusEvent) => Promise<void>;

export interface SubscribeOptions {
  /** Subject filter; `*` matches one token, `>` the rest (NATS wildcard rules). */
  readonly subject: string;
  /**
   * Durable consumer name. Every process subscribing with the same name shares one stream of
   * deliveries (each event handled once per name); different names each get every event.
   */
  readonly durable: string;
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
