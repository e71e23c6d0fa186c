import type { CorePaymentStatus, CoreRejectionReason, PaymentExecutor, SubmissionAnswer } from '../../core/index.ts';
import type { TxContext } from '../../platform/db/index.ts';
import { PermanentJobError, type JobCompletion, type StandaloneJobHandler } from '../../platform/scheduler/index.ts';
import { paymentSettlementJob } from './confirm-payment-settlement.ts';
import { recordPaymentStatusChanged } from './payment-events.ts';
import { kindColumnOf } from './payment-kind-column.ts';
import type { DomesticPayment, PaymentStatusReason } from './payment-model.ts';
import type { PaymentScheme } from './payment-scheme.port.ts';
import type { PaymentStores } from './payment-stores.ts';
import type { PaymentOutcome } from './payments.repository.port.ts';
import { recordPaymentOrderOnAccount } from './record-payment-order-on-account.ts';
import { coreAnswerJob, externalRefOf, type DomesticPaymentExecutionPayload } from './send-to-core-job.ts';
import { afterInstalmentAnswered } from './standing-order-instalment-answered.ts';

/** What a payment's execution works with: payments' stores, the core that executes it and the scheme it leaves the bank through. */
export interface PaymentExecutionDeps extends PaymentStores {
  readonly core: PaymentExecutor;
  readonly scheme: PaymentScheme;
}

/** The core's refusals as ISO 20022 `ExternalStatusReason1Code`: the payment's fate, not a fault. */
const REJECTIONS: Readonly<Record<CoreRejectionReason, PaymentStatusReason>> = {
  'insufficient-funds': { code: 'AM04', description: 'Insufficient funds in the debtor account' },
  'account-not-enabled': { code: 'AC04', description: 'The debtor or creditor account is closed or blocked' },
  'currency-mismatch': { code: 'AM03', description: "The creditor account does not hold the payment's currency" },
  'same-account': { code: 'AC01', description: 'The creditor account is the debtor account' },
  'account-not-found': { code: 'AC01', description: 'The debtor or creditor account is unknown to the bank' },
};

/**
 * The scheduler handler of EXECUTE_DOMESTIC_PAYMENT_JOB: runs the payment's saga
 * (`executeDomesticPayment`). Standalone — the core is called outside any transaction of the
 * platform — and at least once: every step is idempotent, so a worker killed at any point leaves
 * the job to a later run that completes the payment once.
 */
export function domesticPaymentExecution(deps: PaymentExecutionDeps): StandaloneJobHandler<DomesticPaymentExecutionPayload> {
  return {
    transactional: false,
    async run(job, completion) {
      const executed = await executeDomesticPayment(deps, job.payload.paymentId, job.claimedAt, completion);
      if (!executed) throw new PermanentJobError(`no domestic payment ${job.payload.paymentId}`);
    },
  };
}

/**
 * The scheduler handler of CORE_ANSWER_JOB: a payment the core accepted but has not booked yet is
 * asked about again (the scheduler's backoff) until the core answers booked or rejected.
 */
export function coreAnswerCheck(deps: PaymentExecutionDeps): StandaloneJobHandler<DomesticPaymentExecutionPayload> {
  return {
    transactional: false,
    async run(job) {
      const status = await deps.core.paymentStatus(externalRefOf(job.payload.paymentId));
      if (!status) throw new PermanentJobError(`the core knows no payment ${job.payload.paymentId}`);
      if (status.status === 'pending') throw new Error(`the core has not booked payment ${job.payload.paymentId} yet`);
      await deps.uow.run((tx) => recordCoreAnswer(deps, tx, job.payload.paymentId, status, job.claimedAt));
    },
  };
}

/**
 * A payment's execution saga, pending → sent to the core → booked | rejected → settled, with no
 * transaction shared with the core:
 * 1. SentToCore: the payment is marked as handed to the core (`sent_to_core_at`);
 * 2. the core is asked to execute it (`PaymentExecutor.submit`), idempotent by the payment's
 *    external reference, so a repeat after a crash moves no money twice;
 * 3. the core's answer is recorded (`recordCoreAnswer`) once, on a payment still pending: booked on
 *    us is settled at once; booked out of the bank is sent to the scheme and settled by its
 *    confirmation job; a refusal is rejected with the ISO reason; an answer still pending is awaited by CORE_ANSWER_JOB.
 * Run as a job, the answer's transaction also marks the job done (`completion`).
 * Returns the payment as it now is, or undefined when there is none.
 */
export async function executeDomesticPayment(deps: PaymentExecutionDeps, paymentId: string, now: Date = new Date(), completion?: JobCompletion): Promise<DomesticPayment | undefined> {
  const payment = await deps.payments.markSentToCore(paymentId, now);
  if (!payment) return undefined;
  if (payment.status !== 'pending') return payment;
  const answer = await deps.core.submit({
    externalRef: externalRefOf(payment.id),
    kind: kindColumnOf(payment),
    debtor: { accountId: payment.debtorAccountId, ...(payment.debtor ? { name: payment.debtor.name ?? undefined, scheme: payment.debtor.scheme, identification: payment.debtor.identification } : {}) },
    creditor: { ...payment.creditor, ...(payment.creditorAccountId !== null ? { accountId: payment.creditorAccountId } : {}) },
    amount: payment.amount,
    reference: payment.reference ?? undefined,
    requestedAt: now,
  });
  return deps.uow.run(async (tx) => {
    const answered = await recordCoreAnswer(deps, tx, payment, statusOf(answer), now);
    await completion?.in(tx);
    return answered;
  });
}

const statusOf = (answer: SubmissionAnswer): CorePaymentStatus =>
  answer.outcome === 'accepted' ? answer.status : { status: 'rejected', coreRef: '', reason: answer.reason };

/**
 * Records the core's answer on a payment inside the caller's transaction, once: only a pending
 * payment changes (`recordOutcome` is conditional), so of two recorders the second records nothing.
 * `known` is the payment as read when it was handed to the core (its parties, amount and kind never
 * change), or its id, when it is read here under its row lock. Returns the payment as it now is.
 */
export async function recordCoreAnswer(deps: PaymentExecutionDeps, tx: TxContext, known: DomesticPayment | string, answer: CorePaymentStatus, now: Date): Promise<DomesticPayment | undefined> {
  const payment = typeof known === 'string' ? (await deps.payments.lock(tx, known))?.payment : known;
  if (!payment) return undefined;
  if (payment.status !== 'pending') return payment;
  if (answer.status === 'pending') {
    await deps.outbox.schedule(tx, coreAnswerJob(payment.id, now), now);
    return payment;
  }
  if (answer.status === 'rejected') return settle(deps, tx, payment, { status: 'rejected', reason: REJECTIONS[answer.reason] }, now);
  if (payment.creditorAccountId !== null) return settle(deps, tx, payment, { status: 'settled', coreRef: answer.coreRef }, now);
  const sent = await settle(deps, tx, payment, { status: 'booked', coreRef: answer.coreRef }, now);
  await deps.outbox.schedule(tx, paymentSettlementJob(sent.id, deps.scheme.settlementCheckAt(sent, now)), now);
  return sent;
}

async function settle(deps: PaymentStores, tx: TxContext, payment: DomesticPayment, outcome: PaymentOutcome, now: Date): Promise<DomesticPayment> {
  const settled = await deps.payments.recordOutcome(tx, payment.id, outcome, now);
  // Answered first by another recorder: nothing more to record.
  if (!settled) return (await deps.payments.lock(tx, payment.id))!.payment;
  await recordPaymentStatusChanged(deps.outbox, tx, payment, { status: outcome.status, statusReasonCode: outcome.reason?.code }, now);
  // A scheduled payment leaves the payer's list of future payments once it ran, or never will (AIS).
  if (payment.kind === 'scheduled') {
    await recordPaymentOrderOnAccount(deps.outbox, tx, { type: 'scheduled-payment-done', id: payment.id, debtorAccountId: payment.debtorAccountId, executed: outcome.status !== 'rejected' }, now);
  }
  if (payment.kind === 'standing-order') await afterInstalmentAnswered(deps, tx, settled, now);
  return settled;
}
