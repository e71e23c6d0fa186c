import type { TxContext } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { recordPaymentStatusChanged } from './payment-events.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { PaymentStores } from './payment-stores.ts';
import { PaymentErrors } from './payments.errors.ts';
import { recordPaymentOrderOnAccount } from './record-payment-order-on-account.ts';
import { recordStandingOrderProgress } from './record-standing-order-progress.ts';
import type { DomesticStandingOrder } from './standing-order-model.ts';
import { nextInstalmentAt } from './standing-order-plan.ts';

/** The payment order made under a TPP's consent that is to be stopped. */
export interface PaymentOrderCancellation {
  readonly consentId: string;
  readonly clientId: string;
}

/** What a cancellation stopped: a scheduled payment, or a standing order's further instalments. */
export type CancelledPaymentOrder = { readonly payment: DomesticPayment; readonly order?: undefined } | { readonly order: DomesticStandingOrder; readonly payment?: undefined };

type CancellationStores = Pick<PaymentStores, 'payments' | 'standingOrders' | 'outbox'>;

const notCancellable = () => new AppError(PaymentErrors.NOT_CANCELLABLE);

/**
 * The order made under the consent, its row locked until `tx` ends, if it can still be stopped: a
 * standing order pending or set up with an instalment still to come, or a scheduled payment still
 * pending and not yet handed to the core. Anything else — an immediate payment, one the core has,
 * an order that ended, failed or was cancelled, another TPP's, or none made yet — is NOT_CANCELLABLE.
 * The standing order is looked for first: its instalments are payments under the same consent.
 */
async function lockCancellable(stores: CancellationStores, tx: TxContext, request: PaymentOrderCancellation): Promise<CancelledPaymentOrder> {
  const order = await stores.standingOrders.lockOfConsent(tx, request.consentId);
  if (order) {
    if (order.clientId !== request.clientId || (order.status !== 'pending' && order.status !== 'set-up')) throw notCancellable();
    const latest = await stores.standingOrders.latestInstalment(tx, order.id);
    if (latest && nextInstalmentAt(order.schedule, latest.number, latest.dueAt) === undefined) throw notCancellable();
    return { order };
  }
  const locked = await stores.payments.lockOfConsent(tx, request.consentId);
  if (!locked || locked.payment.clientId !== request.clientId) throw notCancellable();
  const { payment, sentToCoreAt } = locked;
  if (payment.kind !== 'scheduled' || payment.status !== 'pending' || sentToCoreAt !== null) throw notCancellable();
  return { payment };
}

/**
 * Whether the order made under the consent can be stopped now (`cancelPaymentOrder`'s checks,
 * without changing anything): answers as the cancellation would, short of doing it.
 */
export async function checkPaymentOrderCancellable(stores: CancellationStores & Pick<PaymentStores, 'uow'>, request: PaymentOrderCancellation): Promise<CancelledPaymentOrder> {
  return stores.uow.run((tx) => lockCancellable(stores, tx, request));
}

/**
 * Stops the payment order made under the TPP's consent, in the caller's transaction (the PSU's
 * confirmation commits with it): a scheduled payment is cancelled, and leaves the payer's list of
 * future payments; a standing order is cancelled, makes no further instalment, and reads inactive
 * on the payer's account (an instalment already made runs to its end). Each with its event.
 *
 * Atomic with respect to execution: the order's row is locked first, and execution takes the same
 * row — an instalment falling due locks the standing order (`executeStandingOrderInstalment`), the
 * payment's hand-over to the core updates its row only while it is pending (`markSentToCore`) — so
 * of a cancellation and an execution racing it, exactly one wins; the loser finds the order as the
 * winner left it (NOT_CANCELLABLE here; nothing to execute there).
 */
export async function cancelPaymentOrder(stores: CancellationStores, tx: TxContext, request: PaymentOrderCancellation, now: Date = new Date()): Promise<CancelledPaymentOrder> {
  const found = await lockCancellable(stores, tx, request);
  if (found.order) {
    const order = await stores.standingOrders.cancel(tx, found.order.id, now);
    if (!order) throw notCancellable();
    await recordStandingOrderProgress(stores, tx, order, { status: 'cancelled', next: null }, now);
    return { order };
  }
  const payment = await stores.payments.cancel(tx, found.payment.id, now);
  if (!payment) throw notCancellable();
  await recordPaymentStatusChanged(stores.outbox, tx, payment, { status: 'cancelled' }, now);
  await recordPaymentOrderOnAccount(stores.outbox, tx, { type: 'scheduled-payment-done', id: payment.id, debtorAccountId: payment.debtorAccountId, executed: false }, now);
  return { payment };
}
