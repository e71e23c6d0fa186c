import type { TxContext } from '../../platform/db/index.ts';
import { EXECUTE_DOMESTIC_PAYMENT_JOB, type DomesticPaymentExecutionPayload } from './send-to-core-job.ts';
import { recordPaymentStatusChanged } from './payment-events.ts';
import { kindColumnOf } from './payment-kind-column.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { PendingPayment } from './payments.repository.port.ts';
import type { PaymentStores } from './payment-stores.ts';

export type { PendingPayment };

/**
 * Stores a submitted payment pending with its one execution job (`executeDomesticPayment`, at
 * `runAt`; or the job of kind `job` that executes it) and its event, all in the
 * submission's transaction: a payment never exists without the job that executes it. The event
 * carries what was ordered (PSU, amount, the payee's fingerprint). Answers the payment stored.
 */
export async function submitPendingPayment(
  stores: Pick<PaymentStores, 'payments' | 'outbox' | 'fingerprintPayee'>,
  tx: TxContext,
  payment: PendingPayment,
  runAt: Date,
  now: Date,
  job: string = EXECUTE_DOMESTIC_PAYMENT_JOB,
): Promise<DomesticPayment> {
  const stored = await stores.payments.insertPending(tx, payment, now);
  await stores.outbox.schedule<DomesticPaymentExecutionPayload>(tx, { kind: job, dedupeKey: `${kindColumnOf(payment)}:${payment.id}`, runAt, payload: { paymentId: payment.id } }, now);
  const order = { psuId: payment.psuId, amountMinor: payment.amountMinor, currency: payment.currency, payee: stores.fingerprintPayee?.(payment.creditor) };
  await recordPaymentStatusChanged(stores.outbox, tx, payment, { status: 'pending', order }, now);
  return stored;
}
