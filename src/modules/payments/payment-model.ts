import type { Money } from '../../core/index.ts';
import type { PaymentStatus } from '../../platform/db/index.ts';

export type { PaymentStatus };

/** The kinds of payment rows: each is executed the same way on the ledger (`executeDomesticPayment`). */
export type PaymentKind =
  | 'domestic-payment'
  | 'domestic-vrp'
  | 'domestic-scheduled-payment'
  | 'domestic-standing-order'
  | 'international-payment'
  | 'international-scheduled-payment'
  | 'international-standing-order'
  | 'file-payment';

/** The account identification schemes the bank pays to and from (the core-banking port's). */
export type PaymentAccountScheme = 'SortCodeAccountNumber' | 'IBAN';

/** An account as a payment names it: how it is identified, and the name on it when known. */
export interface PaymentAccount {
  readonly scheme: PaymentAccountScheme;
  readonly identification: string;
  readonly name: string | null;
}

/** Why a payment was rejected: an ISO 20022 `ExternalStatusReason1Code` and its description. */
export interface PaymentStatusReason {
  readonly code: string;
  readonly description: string;
}

/** What a payment and a standing order submitted under a consent both carry, in the neutral model. */
export interface PaymentOrderFields {
  readonly id: string;
  readonly consentId: string;
  readonly clientId: string;
  readonly psuId: string;
  /** Set when rejected. */
  readonly statusReason: PaymentStatusReason | null;
  readonly createdAt: Date;
  readonly statusUpdatedAt: Date;
  readonly debtorAccountId: string;
  /** The debtor account as the TPP may be told it (the PSU chose it); null if it has no identification. */
  readonly debtor: PaymentAccount | null;
  /** The bank's own account the creditor names; null when the payment leaves the bank through clearing. */
  readonly creditorAccountId: string | null;
  readonly creditor: { readonly name: string; readonly scheme: string; readonly identification: string };
  readonly reference: string | null;
  /** The standard's submission as received (echoed by the facade). */
  readonly request: Record<string, unknown>;
  /** The TPP asked for the refund account (the debtor account) to be shared with it. */
  readonly shareRefundAccount: boolean;
}

/** A single immediate domestic payment in the neutral model every standard facade maps. */
export interface DomesticPayment extends PaymentOrderFields {
  /** A single domestic payment, or one payment under a domestic VRP consent (same execution). */
  readonly kind: PaymentKind;
  readonly status: PaymentStatus;
  readonly amount: Money;
  /** The core's reference of it, once booked. */
  readonly coreRef: string | null;
  readonly executedAt: Date | null;
}

/** What the TPP asks to pay, in neutral terms (the facade maps the standard's initiation to it). */
export interface DomesticPaymentTerms {
  /** The decimal amount as sent (OB: "10.50") and its ISO 4217 currency. */
  readonly amount: { readonly decimal: string; readonly currency: string };
  readonly creditor: { readonly name: string; readonly scheme: string; readonly identification: string };
  /** Set when the TPP names the account to debit; otherwise the PSU chooses it. */
  readonly debtor?: { readonly scheme: string; readonly identification: string } | undefined;
  readonly reference: string | null;
}
