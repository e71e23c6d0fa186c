import type { Money } from '../money.ts';

/**
 * Executes payments on the core. `submit` hands a payment over, idempotent by `externalRef`: a
 * repeat (a worker that crashed before recording the answer) gets the first submission's answer
 * and moves no money again. Acceptance is not the final status: the core books or rejects an
 * accepted payment when it does (`paymentStatus`, and a `PaymentStatusChanged` core event where the
 * core publishes events); a core that books at once answers booked straight away.
 */
export interface PaymentExecutor {
  submit(submission: PaymentSubmission): Promise<SubmissionAnswer>;
  /**
   * Optional, for a core that takes payments in batches: each submission answered as `submit`
   * would answer it alone, in the order given, each booked against the balances the ones before it
   * left. Without it the platform submits a batch one by one.
   */
  submitAll?(submissions: readonly PaymentSubmission[]): Promise<SubmissionAnswer[]>;
  /** The core's status of a submitted payment; undefined when it knows no such `externalRef`. */
  paymentStatus(externalRef: string): Promise<CorePaymentStatus | undefined>;
}

export interface PaymentSubmission {
  /** The platform's reference of the payment: executed at most once per reference. */
  readonly externalRef: string;
  /** What kind of payment it is (single, scheduled, standing-order instalment, VRP, file …), as the core books it. */
  readonly kind: string;
  readonly debtor: PaymentParty & { readonly accountId: string };
  /** `accountId` when the creditor holds an account of this bank (paid on us); else the payment leaves the bank. */
  readonly creditor: PaymentParty & { readonly accountId?: string | undefined };
  readonly amount: Money;
  readonly reference?: string | undefined;
  readonly requestedAt: Date;
}

export interface PaymentParty {
  readonly name?: string | undefined;
  /** Neutral scheme of the identification: `SortCodeAccountNumber` or `IBAN`. */
  readonly scheme?: string | undefined;
  readonly identification?: string | undefined;
}

/** Why the core refuses a payment: the payment's fate, not a fault. */
export type CoreRejectionReason = 'insufficient-funds' | 'account-not-enabled' | 'currency-mismatch' | 'same-account' | 'account-not-found';

export type SubmissionAnswer =
  | { readonly outcome: 'accepted'; readonly coreRef: string; readonly status: CorePaymentStatus }
  | { readonly outcome: 'rejected'; readonly reason: CoreRejectionReason };

export type CorePaymentStatus =
  | { readonly status: 'pending'; readonly coreRef: string }
  | { readonly status: 'booked'; readonly coreRef: string; readonly bookedAt: Date }
  | { readonly status: 'rejected'; readonly coreRef: string; readonly reason: CoreRejectionReason };

