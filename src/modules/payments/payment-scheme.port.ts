import type { DomesticPayment } from './payment-model.ts';

/**
 * The interbank scheme (Faster Payments, CHAPS, SEPA…) that carries a payment leaving the bank.
 * Once the debtor is debited and the payment sent to the scheme it is booked (ISO 20022 ACSP);
 * when the scheme confirms settlement it is settled (ACSC). The bank waits for that
 * confirmation through a durable job (`CONFIRM_PAYMENT_SETTLEMENT_JOB`) that asks this port; the
 * sandbox's is `SandboxPaymentScheme`, an adapter to a real scheme replaces it.
 */
export interface PaymentScheme {
  /** When to ask first whether a payment sent to the scheme at `sentAt` has settled. */
  settlementCheckAt(payment: DomesticPayment, sentAt: Date): Date;
  /**
   * Whether the scheme has confirmed the settlement of the payment by `now`. Called inside the
   * confirmation job's transaction; false leaves the payment in process and the job to ask again
   * (the scheduler's retry backoff).
   */
  isSettled(payment: DomesticPayment, now: Date): Promise<boolean>;
}
