import type { CorePaymentStatus, CoreRejectionReason, PaymentExecutor, PaymentSubmission, SubmissionAnswer } from '../../core/index.ts';
import { GroupRuns } from '../../platform/batching/index.ts';
import type { TxContext } from '../../platform/db/index.ts';
import { completeJobsIn, PermanentJobError, type JobCompletion, type StandaloneJobHandler } from '../../platform/scheduler/index.ts';
import { paymentSettlementJob } from './confirm-payment-settlement.ts';
import { recordPaymentStatusChanges } from './payment-events.ts';
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
 * (`executeDomesticPayments`). Standalone — the core is called outside any transaction of the
 * platform — and at least once: every step is idempotent, so a worker killed at any point leaves
 * the job to a later run that completes the payment once. The jobs that run while a saga is under
 * way are executed together next (`GroupRuns`, up to EXECUTION_GROUP): one saga for all of them.
 */
export function domesticPaymentExecution(
  deps: PaymentExecutionDeps,
  onExecutedTogether?: (size: number) => void,
  onAbandoned?: (payment: DomesticPayment, cause: unknown) => void,
): StandaloneJobHandler<DomesticPaymentExecutionPayload> {
  const groups = new GroupRuns<PaymentToExecute & { readonly claimedAt: Date }, DomesticPayment | undefined>(async (items) => {
    onExecutedTogether?.(items.length);
    const now = new Date(Math.max(...items.map((item) => item.claimedAt.getTime())));
    const executed = await executeDomesticPayments(deps, items, now);
    return items.map((item) => executed.get(item.paymentId));
  }, EXECUTION_GROUP);
  return {
    transactional: false,
    async run(job, completion) {
      let executed: DomesticPayment | undefined;
      try {
        executed = await groups.run({ paymentId: job.payload.paymentId, completion, claimedAt: job.claimedAt });
      } catch (error) {
        // The last attempt: the payment is given up rather than left pending for ever.
        if (job.attempt < job.maxAttempts) throw error;
        const given = await abandonExecution(deps, job.payload.paymentId, job.claimedAt, completion);
        if (!given) throw error;
        if (given.abandoned) onAbandoned?.(given.payment, error);
        return;
      }
      if (!executed) throw new PermanentJobError(`no domestic payment ${job.payload.paymentId}`);
    },
  };
}

/** Why a payment the core never answered for is rejected: ISO 20022 AB07, the agent is offline. */
const CORE_OFFLINE: PaymentStatusReason = { code: 'AB07', description: "The bank's core banking system did not answer within the execution window" };

/**
 * A payment whose execution failed on its last attempt reaches a final status: the core's, when
 * it can still say (the payment was booked or refused although the answer never came back), else
 * rejected with AB07, recorded with its status event, so the TPP sees it and the operator is told
 * (`onAbandoned`). Marks the job done in the same transaction. Undefined when there is no such payment.
 */
async function abandonExecution(deps: PaymentExecutionDeps, paymentId: string, now: Date, completion?: JobCompletion): Promise<{ payment: DomesticPayment; abandoned: boolean } | undefined> {
  const known = await deps.core.paymentStatus(externalRefOf(paymentId)).catch(() => undefined);
  return deps.uow.run(async (tx) => {
    const locked = (await deps.payments.lock(tx, paymentId))?.payment;
    if (!locked) return undefined;
    let result = { payment: locked, abandoned: false };
    // The core has it (booked, refused, or still working on it): its answer is recorded as any other.
    if (known) result = { payment: (await recordCoreAnswers(deps, tx, [{ payment: locked, answer: known }], now)).get(paymentId) ?? locked, abandoned: false };
    else if (locked.status === 'pending') {
      const [rejected] = await settle(deps, tx, [{ payment: locked, outcome: { status: 'rejected', reason: CORE_OFFLINE } }], now);
      result = { payment: rejected ?? locked, abandoned: rejected?.status === 'rejected' };
    }
    if (completion) await completeJobsIn(tx, [completion]);
    return result;
  });
}

/** The most payments one saga executes together. */
const EXECUTION_GROUP = 64;

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

/** A payment to execute, and the job that executes it: marked done in the transaction that records the core's answer. */
export interface PaymentToExecute {
  readonly paymentId: string;
  readonly completion?: JobCompletion | undefined;
}

/**
 * A payment's execution saga, pending → sent to the core → booked | rejected → settled, with no
 * transaction shared with the core:
 * 1. SentToCore: the payment is marked as handed to the core (`sent_to_core_at`);
 * 2. the core is asked to execute it (`PaymentExecutor.submit`), idempotent by the payment's
 *    external reference, so a repeat after a crash moves no money twice;
 * 3. the core's answer is recorded (`recordCoreAnswers`) once, on a payment still pending: booked on
 *    us is settled at once; booked out of the bank is sent to the scheme and settled by its
 *    confirmation job; a refusal is rejected with the ISO reason; an answer still pending is awaited by CORE_ANSWER_JOB.
 * Run as a job, the answer's transaction also marks the job done (`completion`).
 * Returns the payment as it now is, or undefined when there is none.
 */
export async function executeDomesticPayment(deps: PaymentExecutionDeps, paymentId: string, now: Date = new Date(), completion?: JobCompletion): Promise<DomesticPayment | undefined> {
  return (await executeDomesticPayments(deps, [{ paymentId, completion }], now)).get(paymentId);
}

/**
 * The saga of several payments at once, each step for all of them together: one SentToCore
 * statement, one hand-over to a core that takes batches (`submitAll`; else one by one, in order),
 * and one transaction that records every answer and marks every job done. Each payment's fate is
 * its own (one refused for funds does not refuse the others); a failure of a step fails them all,
 * and each is retried by its own job, as after a crash. Returns the payments as they now are, by
 * id; one that does not exist is absent (and its job is not marked done).
 */
export async function executeDomesticPayments(deps: PaymentExecutionDeps, items: readonly PaymentToExecute[], now: Date = new Date()): Promise<Map<string, DomesticPayment>> {
  const marked = new Map((await deps.payments.markSentToCore(items.map((item) => item.paymentId), now)).map((payment) => [payment.id, payment]));
  const pending = [...new Set(items.map((item) => item.paymentId))].map((id) => marked.get(id)).filter((payment) => payment?.status === 'pending') as DomesticPayment[];
  if (pending.length === 0) return marked;
  const answers = await submitInOrder(deps.core, pending.map((payment) => submissionOf(payment, now)));
  return deps.uow.run(async (tx) => {
    const answered = await recordCoreAnswers(deps, tx, pending.map((payment, i) => ({ payment, answer: statusOf(answers[i]!) })), now);
    await completeJobsIn(tx, items.flatMap((item) => (item.completion && marked.has(item.paymentId) ? [item.completion] : [])));
    return new Map([...marked, ...answered]);
  });
}

const submissionOf = (payment: DomesticPayment, now: Date): PaymentSubmission => ({
  externalRef: externalRefOf(payment.id),
  kind: kindColumnOf(payment),
  debtor: { accountId: payment.debtorAccountId, ...(payment.debtor ? { name: payment.debtor.name ?? undefined, scheme: payment.debtor.scheme, identification: payment.debtor.identification } : {}) },
  creditor: { ...payment.creditor, ...(payment.creditorAccountId !== null ? { accountId: payment.creditorAccountId } : {}) },
  amount: payment.amount,
  reference: payment.reference ?? undefined,
  requestedAt: now,
});

/** Hands payments to the core together where it takes batches, else one by one in order. */
async function submitInOrder(core: PaymentExecutor, submissions: readonly PaymentSubmission[]): Promise<SubmissionAnswer[]> {
  if (core.submitAll && submissions.length > 1) return core.submitAll(submissions);
  const answers: SubmissionAnswer[] = [];
  for (const submission of submissions) answers.push(await core.submit(submission));
  return answers;
}

const statusOf = (answer: SubmissionAnswer): CorePaymentStatus =>
  answer.outcome === 'accepted' ? answer.status : { status: 'rejected', coreRef: '', reason: answer.reason };

/**
 * Records the core's answer on a payment inside the caller's transaction, once (`recordCoreAnswers`
 * for one). `known` is the payment as read when it was handed to the core (its parties, amount and
 * kind never change), or its id, when it is read here under its row lock.
 */
export async function recordCoreAnswer(deps: PaymentExecutionDeps, tx: TxContext, known: DomesticPayment | string, answer: CorePaymentStatus, now: Date): Promise<DomesticPayment | undefined> {
  const payment = typeof known === 'string' ? (await deps.payments.lock(tx, known))?.payment : known;
  if (!payment) return undefined;
  return (await recordCoreAnswers(deps, tx, [{ payment, answer }], now)).get(payment.id);
}

/**
 * Records the core's answers on payments inside the caller's transaction, each once: only a
 * pending payment changes (`recordOutcomes` is conditional), so of two recorders the second
 * records nothing. Returns the payments as they now are, by id.
 */
async function recordCoreAnswers(
  deps: PaymentExecutionDeps,
  tx: TxContext,
  answers: ReadonlyArray<{ readonly payment: DomesticPayment; readonly answer: CorePaymentStatus }>,
  now: Date,
): Promise<Map<string, DomesticPayment>> {
  const results = new Map<string, DomesticPayment>();
  const outcomes: Array<{ readonly payment: DomesticPayment; readonly outcome: PaymentOutcome }> = [];
  for (const { payment, answer } of answers) {
    results.set(payment.id, payment);
    if (payment.status !== 'pending') continue;
    if (answer.status === 'pending') await deps.outbox.schedule(tx, coreAnswerJob(payment.id, now), now);
    else if (answer.status === 'rejected') outcomes.push({ payment, outcome: { status: 'rejected', reason: REJECTIONS[answer.reason] } });
    // Booked on us is settled at once; booked out of the bank is sent to the scheme.
    else outcomes.push({ payment, outcome: { status: payment.creditorAccountId !== null ? 'settled' : 'booked', coreRef: answer.coreRef } });
  }
  for (const settled of await settle(deps, tx, outcomes, now)) {
    results.set(settled.id, settled);
    if (settled.status === 'booked') await deps.outbox.schedule(tx, paymentSettlementJob(settled.id, deps.scheme.settlementCheckAt(settled, now)), now);
  }
  return results;
}

/** Records the outcomes of pending payments with their events; answers each payment as it now is (as another recorder left it, if it came first). */
async function settle(deps: PaymentStores, tx: TxContext, outcomes: ReadonlyArray<{ readonly payment: DomesticPayment; readonly outcome: PaymentOutcome }>, now: Date): Promise<DomesticPayment[]> {
  if (outcomes.length === 0) return [];
  const changed = new Map((await deps.payments.recordOutcomes(tx, outcomes.map(({ payment, outcome }) => ({ id: payment.id, outcome })), now)).map((p) => [p.id, p]));
  await recordPaymentStatusChanges(
    deps.outbox,
    tx,
    outcomes.filter(({ payment }) => changed.has(payment.id)).map(({ payment, outcome }) => ({ payment, status: outcome.status, statusReasonCode: outcome.reason?.code })),
    now,
  );
  const settled: DomesticPayment[] = [];
  for (const { payment, outcome } of outcomes) {
    const answered = changed.get(payment.id);
    // Answered first by another recorder: nothing more to record.
    if (!answered) {
      settled.push((await deps.payments.lock(tx, payment.id))!.payment);
      continue;
    }
    // A scheduled payment leaves the payer's list of future payments once it ran, or never will (AIS).
    if (payment.kind === 'scheduled') {
      await recordPaymentOrderOnAccount(deps.outbox, tx, { type: 'scheduled-payment-done', id: payment.id, debtorAccountId: payment.debtorAccountId, executed: outcome.status !== 'rejected' }, now);
    }
    if (payment.kind === 'standing-order') await afterInstalmentAnswered(deps, tx, answered, now);
    settled.push(answered);
  }
  return settled;
}
