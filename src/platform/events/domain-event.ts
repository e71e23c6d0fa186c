import type { z } from 'zod';

/**
 * One fact of the event contract (docs/decisions/0003a-event-envelope.md): its id, what happened
 * (`type` at `version`), the aggregate it happened to with that aggregate's version after it, when,
 * the TPP client it concerns (null for the bank's own facts), the interaction it comes from and the
 * payload its type defines.
 */
export interface DomainEvent<P = unknown> {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly aggregate: { readonly type: string; readonly id: string; readonly version: number };
  readonly occurredAt: string;
  readonly tppClientId: string | null;
  /**
   * The interaction id of the call the event comes from (`x-fapi-interaction-id`), or, for an event
   * recorded outside any call, of the last call that recorded an event of its aggregate; null when none did.
   */
  readonly correlationId: string | null;
  readonly payload: P;
}

/** A type of event at one version, as the module that emits it declares it (`defineEvent`). */
export interface EventDefinition<P = unknown> {
  readonly type: string;
  readonly version: number;
  readonly aggregateType: string;
  /** The payload's validator: checked when the event is recorded and again when it is consumed. */
  readonly payload: z.ZodType<P>;
  /**
   * The aggregate never has another event (an immutable record such as a journal entry): its
   * version is 1 and no stream row is kept for it.
   */
  readonly onlyEventOfAggregate?: boolean;
}

export type PayloadOf<D> = D extends EventDefinition<infer P> ? P : never;
