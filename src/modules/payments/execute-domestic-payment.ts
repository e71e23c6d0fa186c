import type { Transaction } from 'kysely';
import type { CorePaymentStatus, CoreRejectionReason, PaymentExecutor, SubmissionAnswer } from '../../core/index.ts';
import type { DatabaseSchema, Db, PaymentStatus } from '../../platform/db/index.ts';
import { PermanentJobError, scheduleJob, type StandaloneJobHandler } from '../../platform/scheduler/index.ts';
import { paymentSettlementJob } from './confirm-payment-settlement.ts';
import { recordPaymentStatusChanged } from './payment-events.ts';
import type { DomesticPayment, PaymentStatusReason } from './payment-model.ts';
import { toDomesticPayment } from './payment-row.ts';
import { recordPaymentOrderOnAccount } from './record-payment-order-on-account.ts';
import type { PaymentScheme } from './payment-scheme.port.ts';
import { SandboxPaymentScheme } from './sandbox-payment-scheme.ts';
import { coreAnswerJob, externalRefOf, type DomesticPaymentExecutionPayload } from './send-to-core-job.ts';
import { afterInstalmentAnswered } from './standing-order-instalment-answered.ts';

/** The core's refusals as ISO 20022 `ExternalStatusReason1Code`: the payment's fate, not a fault. */
const REJECTIONS: Readonly<Record<CoreRejectionReason, PaymentStatusReason>> = {
  'insufficient-funds': { code: 'AM04', description: 'Insufficient funds in the debtor account' },
  'account-not-enabled': { code: 'AC04', description: 'The debtor or creditor account is closed or blocked' },
  'currency-mismatch': { code: 'AM03', description: "The creditor account does not hold the payment's currency" },
  'same-account': { code: 'AC01', description: 'The creditor account is the debtor account' },
  'account-not-found': { code: 'AC01', description: 'The debtor or creditor account is unknown to the bank' },
};

/** The scheme of callers that name none: the sandbox's, settling at once. */
const INSTANT_SCHEME = new SandboxPaymentScheme();

/**
 * The scheduler handler of EXECUTE_DOMESTIC_PAYMENT_JOB: runs the payment's saga
 * (`executeDomesticPayment`). Standalone — the core is called outside any transaction of the
 * platform — and at least once: every step is idempotent, so a worker killed at any point leaves
 * the job to a later run that completes the payment once.
 */
export function domesticPaymentExecution(db: Db, core: PaymentExecutor, scheme: PaymentScheme = INSTANT_SCHEME): StandaloneJobHandler<DomesticPaymentExecutionPayload> {
  return {
    transactional: false,
    async run(job) {
      const executed = await executeDomesticPayment(db, core, job.payload.paymentId, job.claimedAt, scheme);
      if (!executed) throw new PermanentJobError(`no domestic payment ${job.payload.paymentId}`);
    },
  };
}

/**
 * The scheduler handler of CORE_ANSWER_JOB: a payment the core accepted but has not booked yet is
 * asked about again (the scheduler's backoff) until the core answers booked or rejected.
 */
export function coreAnswerCheck(db: Db, core: PaymentExecutor, scheme: PaymentScheme = INSTANT_SCHEME): StandaloneJobHandler<DomesticPaymentExecutionPayload> {
  return {
    transactional: false,
    async run(job) {
      const status = await core.paymentStatus(externalRefOf(job.payload.paymentId));
      if (!status) throw new PermanentJobError(`the core knows no payment ${job.payload.paymentId}`);
      if (status.status === 'pending') throw new Error(`the core has not booked payment ${job.payload.paymentId} yet`);
      await db.transaction().execute((trx) => recordCoreAnswer(trx, job.payload.paymentId, status, job.claimedAt, scheme));
    },
  };
}

/**
 * A payment's execution saga, pending → sent to the core → booked | rejected → settled, with no
 * transaction shared with the core:
 * 1. SentToCore: the payment is marked as handed to the core (`sent_to_core_at`);
 * 2. the core is asked to execute it (`PaymentExecutor.submit`), idempotent by the payment's
 *    external reference, so a repeat after a crash moves no money twice;
 * 3. the core's answer is recorded (`recordCoreAnswer`) under the payment's row lock, once: booked on
 *    us is settled at once; booked out of the bank is sent to `scheme` and settled by its
 *    confirmation job; a refusal is rejected with the ISO reason; an answer still pending is awaited by CORE_ANSWER_JOB.
 * Returns the payment as it now is, or undefined when there is none.
 */
export async function executeDomesticPayment(db: Db, core: PaymentExecutor, paymentId: string, now: Date = new Date(), scheme: PaymentScheme = INSTANT_SCHEME): Promise<DomesticPayment | undefined> {
  const row = await db
    .updateTable('payments')
    .set((eb) => ({ sent_to_core_at: eb.fn.coalesce('sent_to_core_at', eb.val(now)) }))
    .where('id', '=', paymentId)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  const payment = toDomesticPayment(row);
  if (payment.status !== 'pending') return payment;
  const answer = await core.submit({
    externalRef: externalRefOf(payment.id),
    kind: payment.kind,
    debtor: { accountId: payment.debtorAccountId, ...(payment.debtor ? { name: payment.debtor.name ?? undefined, scheme: payment.debtor.scheme, identification: payment.debtor.identification } : {}) },
    creditor: { ...payment.creditor, ...(payment.creditorAccountId !== null ? { accountId: payment.creditorAccountId } : {}) },
    amount: payment.amount,
    reference: payment.reference ?? undefined,
    requestedAt: now,
  });
  return db.transaction().execute((trx) => recordCoreAnswer(trx, payment.id, statusOf(answer), now, scheme));
}

const statusOf = (answer: SubmissionAnswer): CorePaymentStatus =>
  answer.outcome === 'accepted' ? answer.status : { status: 'rejected', coreRef: '', reason: answer.reason };

/**
 * Records the core's answer on a payment inside the caller's transaction, once: the row is locked
 * and only a pending payment changes. Returns the payment as it now is.
 */
export async function recordCoreAnswer(trx: Transaction<DatabaseSchema>, paymentId: string, answer: CorePaymentStatus, now: Date, scheme: PaymentScheme): Promise<DomesticPayment | undefined> {
  const row = await trx.selectFrom('payments').selectAll().where('id', '=', paymentId).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  const payment = toDomesticPayment(row);
  if (payment.status !== 'pending') return payment;
  if (answer.status === 'pending') {
    await scheduleJob(trx, coreAnswerJob(payment.id, now), now);
    return payment;
  }
  if (answer.status === 'rejected') return settle(trx, payment, { status: 'rejected', reason: REJECTIONS[answer.reason] }, now);
  if (payment.creditorAccountId !== null) return settle(trx, payment, { status: 'settled', coreRef: answer.coreRef }, now);
  const sent = await settle(trx, payment, { status: 'booked', coreRef: answer.coreRef }, now);
  await scheduleJob(trx, paymentSettlementJob(sent.id, scheme.settlementCheckAt(sent, now)), now);
  return sent;
}

async function settle(
  trx: Transaction<DatabaseSchema>,
  payment: DomesticPayment,
  outcome: { status: PaymentStatus; reason?: PaymentStatusReason; coreRef?: string },
  now: Date,
): Promise<DomesticPayment> {
  const row = await trx
    .updateTable('payments')
    .set({
      status: outcome.status,
      status_reason_code: outcome.reason?.code ?? null,
      status_reason: outcome.reason?.description ?? null,
      status_updated_at: now,
      core_ref: outcome.coreRef ?? null,
      executed_at: outcome.coreRef ? now : null,
    })
    .where('id', '=', payment.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordPaymentStatusChanged(trx, payment, { status: outcome.status, statusReasonCode: outcome.reason?.code }, now);
  const settled = toDomesticPayment(row);
  // A scheduled payment leaves the payer's list of future payments once it ran, or never will (AIS).
  if (payment.kind === 'domestic-scheduled-payment' || payment.kind === 'international-scheduled-payment') {
    await recordPaymentOrderOnAccount(trx, { type: 'scheduled-payment-done', id: payment.id, debtorAccountId: payment.debtorAccountId, executed: outcome.status !== 'rejected' }, now);
  }
  if (payment.kind === 'domestic-standing-order' || payment.kind === 'international-standing-order') await afterInstalmentAnswered(trx, settled, now);
  return settled;
}
