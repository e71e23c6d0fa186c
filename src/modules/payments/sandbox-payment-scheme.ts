import type { DomesticPayment } from './payment-model.ts';
import type { PaymentScheme } from './payment-scheme.port.ts';

export interface SandboxPaymentSchemeOptions {
  /** How long after a payment is sent the scheme confirms its settlement; default 0 (at once). */
  readonly settlementDelayMs?: number;
}

/**
 * The sandbox's payment scheme: it confirms the settlement of every payment a fixed delay after it
 * was sent (the payment's execution on the ledger), and never refuses one.
 */
export class SandboxPaymentScheme implements PaymentScheme {
  readonly settlementDelayMs: number;

  constructor(options: SandboxPaymentSchemeOptions = {}) {
    const delay = options.settlementDelayMs ?? 0;
    if (!Number.isInteger(delay) || delay < 0) throw new RangeError(`settlementDelayMs must be a non-negative integer, got ${delay}`);
    this.settlementDelayMs = delay;
  }

  settlementCheckAt(_payment: DomesticPayment, sentAt: Date): Date {
    return new Date(sentAt.getTime() + this.settlementDelayMs);
  }

  async isSettled(payment: DomesticPayment, now: Date): Promise<boolean> {
    return payment.executedAt !== null && now.getTime() >= payment.executedAt.getTime() + this.settlementDelayMs;
  }
}
