import { insertPendingPayment } from './insert-pending-payment.ts';
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../../platform/db/index.ts';
import { PermanentJobError, scheduleJob, type NewJob, type TransactionalJobHandler } from '../../platform/scheduler/index.ts';
import { executeDomesticPayment } from './execute-domestic-payment.ts';
import type { DomesticPayment } from './payment-model.ts';
import type { PaymentScheme } from './payment-scheme.port.ts';
import type { ExchangeRates } from '../../core/fx/index.ts';
import { instalmentDebitOf } from './instalment-debit.ts';
import { saveExchangeRate } from './payment-exchange-rates.ts';
import { instalmentAmount, nextInstalmentAt } from './standing-order-plan.ts';
import { toDomesticStandingOrder } from './standing-order-row.ts';
import { recordStandingOrderProgress } from './record-standing-order-progress.ts';

/** The durable job that runs one instalment of a standing order (src/platform/scheduler). */
export const EXECUTE_STANDING_ORDER_INSTALMENT_JOB = 'payments.standing-order-instalment';

export interface StandingOrderInstalmentPayload {
  readonly standingOrderId: string;
  /** 1 for the first payment. */
  readonly instalment: number;
}

/** The job of instalment `n`, due at `runAt`: its dedupe key `standing-order:{id}:{n}` makes it exist once. */
export function standingOrderInstalmentJob(standingOrderId: string, n: number, runAt: Date): NewJob<StandingOrderInstalmentPayload> {
  return { kind: EXECUTE_STANDING_ORDER_INSTALMENT_JOB, dedupeKey: `standing-order:${standingOrderId}:${n}`, runAt, payload: { standingOrderId, instalment: n } };
}

/**
 * The scheduler handler of EXECUTE_STANDING_ORDER_INSTALMENT_JOB. Transactional: the instalment's
 * payment, its ledger entry, the order's status, the next instalment's job and this job's
 * completion commit together or not at all. An instalment leaving the bank goes to `scheme`, as
 * any payment does (`executeDomesticPayment`); an international order's is converted on `rates`.
 */
export function standingOrderInstalmentExecution(scheme?: PaymentScheme, rates?: ExchangeRates): TransactionalJobHandler<StandingOrderInstalmentPayload> {
  return {
    transactional: true,
    async run(job, trx) {
      const outcome = await executeStandingOrderInstalment(trx, job.payload.standingOrderId, job.payload.instalment, job.runAt, job.claimedAt, scheme, rates);
      if (outcome === undefined) throw new PermanentJobError(`no standing order ${job.payload.standingOrderId}`);
    },
  };
}

/**
 * Runs instalment `n` (due at `dueAt`) of a standing order exactly once, inside the caller's
 * transaction: the order's row is locked, so concurrent runs queue; an instalment already recorded
 * (primary key: order and number) is not run again. The instalment is a payment (of the order's
 * kind) of the first, recurring or final amount — an international order's converted into the
 * debtor account's currency at the bank's rate now, the rate kept with it — executed on the ledger like
 * any other (`executeDomesticPayment`: a refusal is its outcome, Rejected with the ISO reason). The
 * first instalment settles the set-up: InitiationCompleted, or InitiationFailed when it was refused,
 * which stops the order. Unless this was the last, the next instalment's job is scheduled in this
 * same transaction. Returns the instalment's payment, null when the order is stopped, undefined
 * when there is no such order.
 */
export async function executeStandingOrderInstalment(
  trx: Transaction<DatabaseSchema>,
  standingOrderId: string,
  n: number,
  dueAt: Date,
  now: Date = new Date(),
  scheme?: PaymentScheme,
  rates?: ExchangeRates,
): Promise<DomesticPayment | null | undefined> {
  const row = await trx.selectFrom('standing_orders').selectAll().where('id', '=', standingOrderId).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  const order = toDomesticStandingOrder(row);
  const recorded = await trx.selectFrom('standing_order_instalments').select('payment_id').where('standing_order_id', '=', order.id).where('instalment_number', '=', n).executeTakeFirst();
  if (recorded) return (await executeDomesticPayment(trx, recorded.payment_id, now, scheme)) ?? null;
  if (order.status === 'InitiationFailed') return null;

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
  const payment = await executeDomesticPayment(trx, paymentId, now, scheme);
  if (!payment) throw new Error(`instalment payment ${paymentId} is gone`);

  const failed = n === 1 && payment.status === 'Rejected';
  if (n === 1) {
    await trx
      .updateTable('standing_orders')
      .set({
        status: failed ? 'InitiationFailed' : 'InitiationCompleted',
        status_reason_code: failed ? (payment.statusReason?.code ?? null) : null,
        status_reason: failed ? (payment.statusReason?.description ?? null) : null,
        status_updated_at: now,
      })
      .where('id', '=', order.id)
      .execute();
  }
  // The payer's account shows the order's last and next payment (AIS standing-orders).
  const status = n === 1 ? (failed ? 'InitiationFailed' : 'InitiationCompleted') : order.status;
  await recordStandingOrderProgress(
    trx,
    order,
    { status, ran: { n, paymentId, dueAt, paymentStatus: payment.status }, next: next && !failed ? { n: n + 1, at: next } : null },
    now,
  );
  if (next && !failed) await scheduleJob(trx, standingOrderInstalmentJob(order.id, n + 1, next), now);
  return payment;
}
