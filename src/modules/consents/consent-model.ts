import type { AccessScope } from './access-scope.ts';

/** The neutral consent model every standard facade maps to and from. */
export type ConsentKind =
  | 'account-access'
  | 'domestic-payment'
  | 'domestic-scheduled-payment'
  | 'domestic-standing-order'
  | 'international-payment'
  | 'international-scheduled-payment'
  | 'international-standing-order'
  | 'file-payment'
  | 'domestic-vrp'
  | 'funds-confirmation';

/**
 * Where a consent is in its life. `awaiting-upload`: a file payment consent whose file the TPP has
 * not uploaded yet (it cannot be authorised); `consumed`: a single payment was made under it.
 * Each standard names these in its own words (the OB facade: `ob-status-fields.ts`).
 */
export type ConsentStatus = 'awaiting-upload' | 'awaiting-authorisation' | 'authorised' | 'rejected' | 'revoked' | 'expired' | 'consumed';

/** What a payment consent pays: shown to the PSU and bound by the authentication code. */
export interface PaymentSummary {
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly creditorName: string;
  readonly creditorScheme: string;
  readonly creditorIdentification: string;
  readonly reference: string | null;
  /** Set when the TPP named the debtor account; otherwise the PSU chooses it. */
  readonly debtorAccountId: string | null;
  /** Recurring payments (VRP): the limits beyond the largest single payment (`amountMinor`). */
  readonly controls?: PaymentControls | undefined;
  /**
   * A file of payments: how many it holds (`amountMinor` is their total, the creditor fields name
   * the file, its SHA-256 in hex as the identification, so the SCA binding covers every payee).
   */
  readonly file?: { readonly numberOfTransactions: number } | undefined;
  /** Scheduled payments and standing orders: when the payment is made, or the order's rhythm. */
  readonly schedule?: PaymentSchedule | undefined;
  /**
   * International payments: the currency the creditor is paid in (OB `CurrencyOfTransfer`). The
   * instructed amount (`amountMinor`, `currency`) is in it, or in the debtor account's currency.
   */
  readonly currencyOfTransfer?: string | undefined;
}

/** When a payment consent pays, in the PSU's terms: one date, or a standing order's schedule. */
export interface PaymentSchedule {
  /** A scheduled payment's execution date; a standing order's first payment. */
  readonly firstPaymentAt: Date;
  /** Standing orders: the frequency as the standard named it (`parseStandingOrderFrequency`). */
  readonly frequency?: string | undefined;
  /** Standing orders: no payment after this many (null or absent: open-ended unless `finalPaymentAt`). */
  readonly numberOfPayments?: number | null | undefined;
  /** Standing orders: no payment after this date. */
  readonly finalPaymentAt?: Date | null | undefined;
  /** Standing orders: a date that is not a business day is paid on the next (`following`) or previous (`preceding`) one. */
  readonly businessDayRule?: 'following' | 'preceding' | undefined;
}

/**
 * The control parameters of a recurring-payment consent (VRP) in the PSU's terms: when payments
 * may be made, and the most they may total in each period, in the summary's currency.
 */
export interface PaymentControls {
  readonly validFrom: Date | null;
  readonly validTo: Date | null;
  readonly periodicLimits: ReadonlyArray<{ readonly periodType: string; readonly alignment: string; readonly amountMinor: bigint }>;
}

/**
 * What a consent is for: access to account information within a scope, a payment (what it pays,
 * once known: a file payment's is known when its file is uploaded), or confirming that funds are
 * available on an account.
 */
export type ConsentPurpose =
  | { readonly type: 'account-access'; readonly scope: AccessScope }
  | { readonly type: 'payment'; readonly payment: PaymentSummary | null }
  | { readonly type: 'funds-confirmation' };

export interface Consent {
  readonly id: string;
  readonly kind: ConsentKind;
  readonly clientId: string;
  readonly status: ConsentStatus;
  readonly createdAt: Date;
  readonly statusUpdatedAt: Date;
  /** What the consent is for; `kind` names the same for the row and the standards' resources. */
  readonly purpose: ConsentPurpose;
  readonly expiresAt: Date | null;
  /** Account access: the scope's transaction window (`purpose.scope.window`), as the read path takes it. */
  readonly transactionFrom: Date | null;
  readonly transactionTo: Date | null;
  readonly psuId: string | null;
  readonly partyId: string | null;
  readonly accountIds: string[];
  readonly authorisedAt: Date | null;
  readonly revokedBy: 'TPP' | 'PSU' | null;
  readonly payment: PaymentSummary | null;
  /** The authorisation server grant the PSU authorised this consent under. */
  readonly grantId: string | null;
  /** Dynamic-linking binding of the payment the PSU authenticated (see sca-binding.ts). */
  readonly scaBinding: string | null;
  /** Why the consent reached its status, where that was recorded (a payment refused once authorised). */
  readonly statusReason: ConsentStatusReason | null;
}

/**
 * Why a consent reached its status, in no standard's terms: the stable code of the refusal (the
 * refusing module's error code, e.g. `PAYMENT.DEBTOR_ACCOUNT_UNKNOWN`) and the text a TPP may be
 * shown. Each facade says it in its own words.
 */
export interface ConsentStatusReason {
  readonly code: string;
  readonly description: string;
}
