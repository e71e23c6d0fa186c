import { insertPendingPayment } from './insert-pending-payment.ts';
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../../platform/db/index.ts';
import { PermanentJobError, scheduleJob, type TransactionalJobHandler } from '../../platform/scheduler/index.ts';
import { sendToCoreJob } from './send-to-core-job.ts';
import { toDomesticPayment } from './payment-row.ts';
import type { StandingOrderInstalmentPayload } from './standing-order-instalment-job.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { ExchangeRates } from '../../core/fx/index.ts';
import { instalmentDebitOf } from './instalment-debit.ts';
import { saveExchangeRate } from './payment-exchange-rates.ts';
import { instalmentAmount, nextInstalmentAt } from './standing-order-plan.ts';
import { toDomesticStandingOrder } from './standing-order-row.ts';

export { EXECUTE_STANDING_ORDER_INSTALMENT_JOB, standingOrderInstalmentJob, type StandingOrderInstalmentPayload } from './standing-order-instalment-job.ts';

/**
 * The scheduler handler of EXECUTE_STANDING_ORDER_INSTALMENT_JOB. Transactional: the instalment's
 * payment, its execution job and this job's completion commit together or not at all. The payment
 * then executes through the core as any payment does (`executeDomesticPayment`); an international
 * order's is converted on `rates`.
 */
export function standingOrderInstalmentExecution(rates?: ExchangeRates): TransactionalJobHandler<StandingOrderInstalmentPayload> {
  return {
    transactional: true,
    async run(job, trx) {
      const outcome = await executeStandingOrderInstalment(trx, job.payload.standingOrderId, job.payload.instalment, job.runAt, job.claimedAt, rates);
      if (outcome === undefined) throw new PermanentJobError(`no standing order ${job.payload.standingOrderId}`);
    },
  };
}

/**
 * Makes instalment `n` (due at `dueAt`) of a standing order exactly once, inside the caller's
 * transaction: the order's row is locked, so concurrent runs queue; an instalment already recorded
 * (primary key: order and number) is not made again. The instalment is a Pending payment (of the
 * order's kind) of the first, recurring or final amount — an international order's converted into
 * the debtor account's currency at the bank's rate now, the rate kept with it — with its execution
 * job (`executeDomesticPayment`). The core's answer on it settles the order's set-up and schedules
 * the next instalment (`afterInstalmentAnswered`). Returns the instalment's payment, null when the
 * order is stopped, undefined when there is no such order.
 */
export async function executeStandingOrderInstalment(
  trx: Transaction<DatabaseSchema>,
  standingOrderId: string,
  n: number,
  dueAt: Date,
  now: Date = new Date(),
  rates?: ExchangeRates,
): Promise<DomesticPayment | null | undefined> {
  const row = await trx.selectFrom('standing_orders').selectAll().where('id', '=', standingOrderId).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  const order = toDomesticStandingOrder(row);
  const recorded = await trx.selectFrom('standing_order_instalments').select('payment_id').where('standing_order_id', '=', order.id).where('instalment_number', '=', n).executeTakeFirst();
  if (recorded) {
    const payment = await trx.selectFrom('payments').selectAll().where('id', '=', recorded.payment_id).executeTakeFirst();
    return payment ? toDomesticPayment(payment) : null;
  }
  if (order.status === 'failed') return null;

  const next = nextInstalmentAt(order.schedule, n, dueAt);
  // OB DomesticStandingOrder payment-details PaymentTransactionId: at most 210 characters.
  const paymentId = `psoi-${randomUUID()}`;
  // An international order's instalment is converted now, at the bank's rate (`instalmentDebitOf`).
  const instructed = { amountMinor: instalmentAmount(order.schedule, n, next === undefined), currency: order.schedule.currency };
  const { debit, exchangeRate } = await instalmentDebitOf(order, instructed, rates, now);
  await insertPendingPayment(
    trx,
    {
      id: paymentId,
      kind: order.kind,
      consentId: order.consentId,
      clientId: order.clientId,
      psuId: order.psuId,
      debtorAccountId: order.debtorAccountId,
      debtor: order.debtor,
      creditorAccountId: order.creditorAccountId,
      amountMinor: debit.amountMinor,
      currency: debit.currency,
      creditor: order.creditor,
      reference: order.reference,
      request: order.request,
      shareRefundAccount: order.shareRefundAccount,
    },
    now,
  );
  if (exchangeRate) await saveExchangeRate(trx, paymentId, exchangeRate);
  await trx.insertInto('standing_order_instalments').values({ standing_order_id: order.id, instalment_number: n, payment_id: paymentId, due_at: dueAt }).execute();
  await scheduleJob(trx, sendToCoreJob(paymentId, now), now);
  const payment = await trx.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow();
  return toDomesticPayment(payment);
}
