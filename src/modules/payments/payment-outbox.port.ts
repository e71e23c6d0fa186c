import type { TxContext } from '../../platform/db/index.ts';
import type { EventDefinition, Fact } from '../../platform/events/index.ts';
import type { NewJob } from '../../platform/scheduler/index.ts';

/**
 * The durable jobs and domain events payments record with their own writes, in the caller's
 * transaction: a payment never exists without the job that executes it, nor changes status
 * without its event.
 */
export interface PaymentOutbox {
  schedule<P>(tx: TxContext, job: NewJob<P>, now: Date): Promise<void>;
  record<P>(tx: TxContext, definition: EventDefinition<P>, fact: Fact<P>): Promise<void>;
  /** `record` for facts of one type about different aggregates (a batch of payments), in one write. */
  recordAll<P>(tx: TxContext, definition: EventDefinition<P>, facts: ReadonlyArray<Fact<P>>): Promise<void>;
}
