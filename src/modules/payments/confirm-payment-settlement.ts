import { txContextOf, type TxContext } from '../../platform/db/index.ts';
import { PermanentJobError, type NewJob, type TransactionalJobHandler } from '../../platform/scheduler/index.ts';
import { recordPaymentStatusChanged } from './payment-events.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { PaymentScheme } from './payment-scheme.port.ts';
import type { PaymentStores } from './payment-stores.ts';

/** The durable job that takes the scheme's settlement confirmation of one payment sent to it (src/platform/scheduler). */
export const CONFIRM_PAYMENT_SETTLEMENT_JOB = 'payments.confirm-settlement';

export interface PaymentSettlementPayload {
  readonly paymentId: string;
}

/** The confirmation job of a payment sent to the scheme, due at `runAt`: its dedupe key `payment-settlement:{id}` makes it exist once. */
export function paymentSettlementJob(paymentId: string, runAt: Date): NewJob<PaymentSettlementPayload> {
  return { kind: CONFIRM_PAYMENT_SETTLEMENT_JOB, dedupeKey: `payment-settlement:${paymentId}`, runAt, payload: { paymentId } };
}

/**
 * The scheduler handler of CONFIRM_PAYMENT_SETTLEMENT_JOB. Transactional: the payment's new status,
 * its event and the job's completion commit together or not at all, so a crash leaves the job to
 * run again and the status changes, with its one event, once. A payment the scheme has not settled
 * yet fails the attempt, to be asked about again after the scheduler's backoff.
 */
export function paymentSettlementConfirmation(stores: Pick<PaymentStores, 'payments' | 'outbox'>, scheme: PaymentScheme): TransactionalJobHandler<PaymentSettlementPayload> {
  return {
    transactional: true,
    async run(job, trx) {
      const payment = await confirmPaymentSettlement(stores, txContextOf(trx), job.payload.paymentId, scheme, job.claimedAt);
      if (!payment) throw new PermanentJobError(`no payment ${job.payload.paymentId}`);
      if (payment.status === 'booked') throw new Error(`the scheme has not confirmed the settlement of payment ${payment.id} yet`);
    },
  };
}

/**
 * Moves a payment from booked to settled once the scheme confirms its settlement, inside the caller's transaction: the payment row is locked, so
 * concurrent runs queue and the later ones find it settled and change nothing. Any other status is
 * left as it is. Returns the payment as it now is, or undefined when there is none.
 */
export async function confirmPaymentSettlement(
  stores: Pick<PaymentStores, 'payments' | 'outbox'>,
  tx: TxContext,
  paymentId: string,
  scheme: PaymentScheme,
  now: Date = new Date(),
): Promise<DomesticPayment | undefined> {
  const locked = await stores.payments.lock(tx, paymentId);
  if (!locked) return undefined;
  const { payment } = locked;
  if (payment.status !== 'booked' || !(await scheme.isSettled(payment, now))) return payment;
  const settled = await stores.payments.markSettled(tx, payment.id, now);
  await recordPaymentStatusChanged(stores.outbox, tx, payment, { status: 'settled' }, now);
  return settled;
}
