import type { NewJob } from '../../platform/scheduler/index.ts';

/** The durable job that executes one submitted payment through the core (src/platform/scheduler). */
export const EXECUTE_DOMESTIC_PAYMENT_JOB = 'payments.execute-domestic-payment';

/** The job that asks the core for its answer on a payment it accepted without booking it yet. */
export const CORE_ANSWER_JOB = 'payments.core-answer';

export interface DomesticPaymentExecutionPayload {
  readonly paymentId: string;
}

/** The reference a payment is submitted to the core under: the core executes it at most once. */
export const externalRefOf = (paymentId: string) => `payment:${paymentId}`;

/** The execution job of a payment made by a job of its own (an instalment, a converted scheduled payment), due at `runAt`. */
export function sendToCoreJob(paymentId: string, runAt: Date): NewJob<DomesticPaymentExecutionPayload> {
  return { kind: EXECUTE_DOMESTIC_PAYMENT_JOB, dedupeKey: `payment-core:${paymentId}`, runAt, payload: { paymentId } };
}

/** The job that waits for the core's answer on a payment, first asked at `runAt`. */
export function coreAnswerJob(paymentId: string, runAt: Date): NewJob<DomesticPaymentExecutionPayload> {
  return { kind: CORE_ANSWER_JOB, dedupeKey: `payment-core-answer:${paymentId}`, runAt, payload: { paymentId } };
}
