import type { TxContext } from '../../platform/db/index.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { PaymentStores } from './payment-stores.ts';
import { recordStandingOrderProgress } from './record-standing-order-progress.ts';
import { standingOrderInstalmentJob } from './standing-order-instalment-job.ts';
import { businessDaysOf, instalmentPaidAt, nextInstalmentAt } from './standing-order-plan.ts';

/**
 * What follows the core's answer on an instalment's payment, in the transaction that records it:
 * the first instalment settles the order's set-up (set up, or failed when the core refused it,
 * which stops the order); the payer's account shows the order's progress; and
 * unless this was the last, or the order was cancelled meanwhile, the next instalment's job is
 * scheduled. Nothing for other payments.
 */
export async function afterInstalmentAnswered(stores: Pick<PaymentStores, 'standingOrders' | 'outbox' | 'businessDays'>, tx: TxContext, payment: DomesticPayment, now: Date): Promise<void> {
  const instalment = await stores.standingOrders.instalmentOf(tx, payment.id);
  if (!instalment) return;
  const order = await stores.standingOrders.lock(tx, instalment.standingOrderId);
  if (!order) throw new Error(`standing order ${instalment.standingOrderId} of payment ${payment.id} is gone`);
  const n = instalment.number;
  const next = nextInstalmentAt(order.schedule, n, instalment.dueAt);
  const cancelled = order.status === 'cancelled';
  const failed = n === 1 && payment.status === 'rejected' && !cancelled;
  if (n === 1 && !cancelled) await stores.standingOrders.recordSetUp(tx, order.id, failed ? 'failed' : 'set-up', failed ? payment.statusReason : null, now);
  // The payer's account shows the order's last and next payment (AIS standing-orders).
  const status = n === 1 && !cancelled ? (failed ? 'failed' : 'set-up') : order.status;
  await recordStandingOrderProgress(
    stores,
    tx,
    order,
    { status, ran: { n, paymentId: payment.id, dueAt: instalment.dueAt, paymentStatus: payment.status }, next: next && !failed && !cancelled ? { n: n + 1, at: next } : null },
    now,
  );
  if (next && !failed && !cancelled) await stores.outbox.schedule(tx, standingOrderInstalmentJob(order.id, n + 1, next, instalmentPaidAt(order.schedule, next, businessDaysOf(stores))), now);
}
