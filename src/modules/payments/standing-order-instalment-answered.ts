import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../../platform/db/index.ts';
import { scheduleJob } from '../../platform/scheduler/index.ts';
import type { DomesticPayment } from './payment-model.ts';
import { recordStandingOrderProgress } from './record-standing-order-progress.ts';
import { standingOrderInstalmentJob } from './standing-order-instalment-job.ts';
import { nextInstalmentAt } from './standing-order-plan.ts';
import { toDomesticStandingOrder } from './standing-order-row.ts';

/**
 * What follows the core's answer on an instalment's payment, in the transaction that records it:
 * the first instalment settles the order's set-up (set up, or failed when the core refused it,
 * which stops the order); the payer's account shows the order's progress; and
 * unless this was the last, the next instalment's job is scheduled. Nothing for other payments.
 */
export async function afterInstalmentAnswered(trx: Transaction<DatabaseSchema>, payment: DomesticPayment, now: Date): Promise<void> {
  const instalment = await trx
    .selectFrom('standing_order_instalments')
    .select(['standing_order_id', 'instalment_number', 'due_at'])
    .where('payment_id', '=', payment.id)
    .executeTakeFirst();
  if (!instalment) return;
  const row = await trx.selectFrom('standing_orders').selectAll().where('id', '=', instalment.standing_order_id).forUpdate().executeTakeFirstOrThrow();
  const order = toDomesticStandingOrder(row);
  const n = instalment.instalment_number;
  const next = nextInstalmentAt(order.schedule, n, instalment.due_at);
  const failed = n === 1 && payment.status === 'rejected';
  if (n === 1) {
    await trx
      .updateTable('standing_orders')
      .set({
        status: failed ? 'failed' : 'set-up',
        status_reason_code: failed ? (payment.statusReason?.code ?? null) : null,
        status_reason: failed ? (payment.statusReason?.description ?? null) : null,
        status_updated_at: now,
      })
      .where('id', '=', order.id)
      .execute();
  }
  // The payer's account shows the order's last and next payment (AIS standing-orders).
  const status = n === 1 ? (failed ? 'failed' : 'set-up') : order.status;
  await recordStandingOrderProgress(
    trx,
    order,
    { status, ran: { n, paymentId: payment.id, dueAt: instalment.due_at, paymentStatus: payment.status }, next: next && !failed ? { n: n + 1, at: next } : null },
    now,
  );
  if (next && !failed) await scheduleJob(trx, standingOrderInstalmentJob(order.id, n + 1, next), now);
}
