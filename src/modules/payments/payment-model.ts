import type { Money } from '../../core/index.ts';
import type { PaymentStatus } from './payment-status.ts';

export type { PaymentStatus };

/**
 * What a payment order is: paid once, at once (`single`) or at a date (`scheduled`); an
 * instalment of a standing order (`standing-order`); one of the payments of a file (`file`); or one
 * of many under a variable recurring payment mandate (`recurring`, VRP). Every payment is executed
 * the same way on the core (`executeDomesticPayment`).
 */
export type PaymentOrderKind = 'single' | 'scheduled' | 'standing-order' | 'file' | 'recurring';

/** Whether a payment order pays in the debtor's currency area or abroad, converted (`international`). */
export type PaymentReach = 'domestic' | 'international';

/** The kinds of payment order the bank takes, with their reach: files and VRPs are domestic only. */
export type PaymentOrderType =
  | { readonly kind: 'single' | 'scheduled' | 'standing-order'; readonly reach: PaymentReach }
  | { readonly kind: 'file' | 'recurring'; readonly reach: 'domestic' };

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
  /** The TPP asked for the refund account (the debtor account) to be shared with it. */
  readonly shareRefundAccount: boolean;
}

/** A payment of any kind (each instalment and each payment of a file is one) in the neutral model every standard facade maps. */
export type DomesticPayment = PaymentOrderFields &
  PaymentOrderType & {
    readonly status: PaymentStatus;
    readonly amount: Money;
    /** The core's reference of it, once booked. */
    readonly coreRef: string | null;
    readonly executedAt: Date | null;
  };

/** What the TPP asks to pay, in neutral terms (the facade maps the standard's initiation to it). */
export interface DomesticPaymentTerms {
  /** The decimal amount as sent (OB: "10.50") and its ISO 4217 currency. */
  readonly amount: { readonly decimal: string; readonly currency: string };
  readonly creditor: { readonly name: string; readonly scheme: string; readonly identification: string };
  /** Set when the TPP names the account to debit; otherwise the PSU chooses it. */
  readonly debtor?: { readonly scheme: string; readonly identification: string } | undefined;
  readonly reference: string | null;
}
