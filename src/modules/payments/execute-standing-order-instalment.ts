import { randomUUID } from 'node:crypto';
import type { ExchangeRates } from '../../core/fx/index.ts';
import { txContextOf, type TxContext } from '../../platform/db/index.ts';
import { PermanentJobError, type TransactionalJobHandler } from '../../platform/scheduler/index.ts';
import { instalmentDebitOf } from './instalment-debit.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { PaymentStores } from './payment-stores.ts';
import { sendToCoreJob } from './send-to-core-job.ts';
import { dueAtOfInstalmentJob, type StandingOrderInstalmentPayload } from './standing-order-instalment-job.ts';
import { instalmentAmount, nextInstalmentAt } from './standing-order-plan.ts';

export { EXECUTE_STANDING_ORDER_INSTALMENT_JOB, standingOrderInstalmentJob, type StandingOrderInstalmentPayload } from './standing-order-instalment-job.ts';

/** What a standing order's instalments are made with. */
export type InstalmentStores = Pick<PaymentStores, 'payments' | 'standingOrders' | 'outbox'>;

/**
 * The scheduler handler of EXECUTE_STANDING_ORDER_INSTALMENT_JOB. Transactional: the instalment's
 * payment, its execution job and this job's completion commit together or not at all. The payment
 * then executes through the core as any payment does (`executeDomesticPayment`); an international
 * order's is converted on `rates`.
 */
export function standingOrderInstalmentExecution(stores: InstalmentStores, rates?: ExchangeRates): TransactionalJobHandler<StandingOrderInstalmentPayload> {
  return {
    transactional: true,
    async run(job, trx) {
      const outcome = await executeStandingOrderInstalment(stores, txContextOf(trx), job.payload.standingOrderId, job.payload.instalment, dueAtOfInstalmentJob(job.payload, job.runAt), job.claimedAt, rates);
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
 * order is stopped (failed or cancelled: `cancelPaymentOrder` takes the same lock, so of an
 * instalment falling due and a cancellation exactly one comes first), undefined when there is no
 * such order.
 */
export async function executeStandingOrderInstalment(
  stores: InstalmentStores,
  tx: TxContext,
  standingOrderId: string,
  n: number,
  dueAt: Date,
  now: Date = new Date(),
  rates?: ExchangeRates,
): Promise<DomesticPayment | null | undefined> {
  const order = await stores.standingOrders.lock(tx, standingOrderId);
  if (!order) return undefined;
  const recorded = await stores.standingOrders.findInstalmentPayment(tx, order.id, n);
  if (recorded !== undefined) return recorded;
  // Stopped: a refused first instalment, or cancelled (the cancellation took this lock first).
  if (order.status === 'failed' || order.status === 'cancelled') return null;

  const next = nextInstalmentAt(order.schedule, n, dueAt);
  // OB DomesticStandingOrder payment-details PaymentTransactionId: at most 210 characters.
  const paymentId = `psoi-${randomUUID()}`;
  // An international order's instalment is converted now, at the bank's rate (`instalmentDebitOf`).
  const instructed = { amountMinor: instalmentAmount(order.schedule, n, next === undefined), currency: order.schedule.currency };
  const { debit, exchangeRate } = await instalmentDebitOf(order, instructed, rates, now);
  const payment = await stores.payments.insertPending(
    tx,
    {
      id: paymentId,
      kind: 'standing-order',
      reach: order.reach,
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
      shareRefundAccount: order.shareRefundAccount,
    },
    now,
  );
  if (exchangeRate) await stores.payments.saveExchangeRate(tx, paymentId, exchangeRate);
  await stores.standingOrders.addInstalment(tx, { standingOrderId: order.id, number: n, paymentId, dueAt });
  await stores.outbox.schedule(tx, sendToCoreJob(paymentId, now), now);
  return payment;
}
