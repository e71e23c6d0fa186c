import type { TxContext } from '../../platform/db/index.ts';
import type { PaymentStatus } from './payment-model.ts';
import type { PaymentStores } from './payment-stores.ts';
import { recordPaymentOrderOnAccount } from './record-payment-order-on-account.ts';
import { StandingOrderProgressedV2 } from './standing-order-events.ts';
import type { DomesticStandingOrder, StandingOrderStatus } from './standing-order-model.ts';
import { businessDaysOf, instalmentAmount, instalmentPaidAt, nextInstalmentAt } from './standing-order-plan.ts';

/** The amount instalment `n`, due at `dueAt`, pays (the final amount when it is the last). */
const amountOfInstalment = (order: DomesticStandingOrder, n: number, dueAt: Date) => instalmentAmount(order.schedule, n, nextInstalmentAt(order.schedule, n, dueAt) === undefined);

/** Where a standing order stands after being set up or running instalment `ran.n`. */
export interface StandingOrderProgress {
  readonly status: StandingOrderStatus;
  readonly ran?: { readonly n: number; readonly paymentId: string; readonly dueAt: Date; readonly paymentStatus: PaymentStatus };
  readonly next: { readonly n: number; readonly at: Date } | null;
}

/**
 * The payer's account's view of a standing order (`recordPaymentOrderOnAccount`), and its
 * `StandingOrderProgressed` event, in the transaction that sets it up or runs an instalment: the
 * latest instalment that was not refused is its last payment, instalment `next.n` at `next.at` its
 * next (null after the last, or once a refused first instalment stopped the order).
 */
export async function recordStandingOrderProgress(
  stores: Pick<PaymentStores, 'standingOrders' | 'outbox' | 'businessDays'>,
  tx: TxContext,
  order: DomesticStandingOrder,
  progress: StandingOrderProgress,
  now: Date,
): Promise<void> {
  const { next, ran } = progress;
  const paid = await stores.standingOrders.lastPaidInstalment(tx, order.id);
  // The account shows the days paid on; the event, the instalments' due dates.
  const paidAt = (dueAt: Date) => instalmentPaidAt(order.schedule, dueAt, businessDaysOf(stores));
  await recordPaymentOrderOnAccount(stores.outbox, tx, {
    type: 'standing-order',
    ...order,
    lastPayment: paid ? { at: paidAt(paid.dueAt), amountMinor: amountOfInstalment(order, paid.number, paid.dueAt) } : null,
    nextPayment: next ? { at: paidAt(next.at), amountMinor: amountOfInstalment(order, next.n, next.at) } : null,
  }, now);
  await stores.outbox.record(tx, StandingOrderProgressedV2, {
    aggregateId: order.id,
    tppClientId: order.clientId,
    payload: {
      standingOrderId: order.id,
      consentId: order.consentId,
      status: progress.status,
      ...(ran ? { instalment: { number: ran.n, paymentId: ran.paymentId, dueAt: ran.dueAt.toISOString(), paymentStatus: ran.paymentStatus } } : {}),
      nextInstalment: next ? { number: next.n, dueAt: next.at.toISOString() } : null,
    },
    occurredAt: now,
  });
}
