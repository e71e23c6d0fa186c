import type { ExchangeRateTerms } from '../../core/fx/index.ts';
import type { TxContext } from '../../platform/db/index.ts';
import type { DomesticPayment, PaymentAccount, PaymentOrderType, PaymentStatus, PaymentStatusReason } from './payment-model.ts';

/** A payment as a submission (or a standing-order instalment) creates it, before execution. */
export type PendingPayment = PaymentOrderType & {
  readonly id: string;
  readonly consentId: string;
  readonly clientId: string;
  readonly psuId: string;
  readonly debtorAccountId: string;
  readonly debtor: PaymentAccount | null | undefined;
  /** The bank's own account the creditor identification names; null when the payment leaves the bank. */
  readonly creditorAccountId: string | null;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly creditor: { readonly name: string; readonly scheme: string; readonly identification: string };
  readonly reference: string | null;
  readonly shareRefundAccount: boolean;
};

/** What the core's answer (or the scheme's) makes of a pending payment. */
export interface PaymentOutcome {
  readonly status: PaymentStatus;
  readonly reason?: PaymentStatusReason | undefined;
  /** The core's reference, when it booked the payment. */
  readonly coreRef?: string | undefined;
}

/** A payment locked in a transaction, with whether it was handed to the core already. */
export interface LockedPayment {
  readonly payment: DomesticPayment;
  readonly sentToCoreAt: Date | null;
}

/** What payments need from storage: the payments of every kind and the exchange rates kept with them. */
export interface PaymentsRepository {
  /** Stores a payment pending, in the caller's transaction, and answers it as stored. */
  insertPending(tx: TxContext, payment: PendingPayment, now: Date): Promise<DomesticPayment>;
  /** The payment (of `type` when given), in the caller's transaction when one is given. */
  find(id: string, options?: { readonly type?: PaymentOrderType | undefined; readonly tx?: TxContext | undefined }): Promise<DomesticPayment | undefined>;
  /** The first payment made under a consent (a single payment's only one), if any. */
  findOfConsent(consentId: string): Promise<DomesticPayment | undefined>;
  /** The payment, its row locked until `tx` ends: concurrent changes of it queue. */
  lock(tx: TxContext, id: string): Promise<LockedPayment | undefined>;
  /** The first payment made under a consent, its row locked until `tx` ends (`lock`). */
  lockOfConsent(tx: TxContext, consentId: string): Promise<LockedPayment | undefined>;
  /**
   * The saga's SentToCore for the payments named, in a statement of its own: the first time each
   * was handed to the core stays, and a payment no longer pending (cancelled) is not handed over.
   * Answers those that exist, in no particular order.
   */
  markSentToCore(ids: readonly string[], at: Date): Promise<DomesticPayment[]>;
  /** A converted payment's debit, and its hand-over to the core at `at`. */
  recordConversion(tx: TxContext, id: string, amountMinor: bigint, at: Date): Promise<DomesticPayment>;
  /**
   * Sets each pending payment's status (with its reason and core reference, or none) at `now`, in
   * one statement, and answers those it changed, in no particular order; a payment no longer
   * pending (its outcome was recorded first) is left as it is and not answered.
   */
  recordOutcomes(tx: TxContext, outcomes: ReadonlyArray<{ readonly id: string; readonly outcome: PaymentOutcome }>, now: Date): Promise<DomesticPayment[]>;
  /**
   * A pending payment not yet handed to the core is cancelled at `now`; answers it, or undefined
   * when it was not (still) such a payment: of a cancellation and SentToCore, the first wins.
   */
  cancel(tx: TxContext, id: string, now: Date): Promise<DomesticPayment | undefined>;
  /** A booked payment the scheme settled: only its status changes. */
  markSettled(tx: TxContext, id: string, now: Date): Promise<DomesticPayment>;
  /** The amount and time of every VRP under the consent made since `since`, but the rejected ones. */
  recurringSince(consentId: string, since: Date, tx?: TxContext): Promise<Array<{ readonly amountMinor: bigint; readonly createdAt: Date }>>;
  /** Keeps the exchange-rate terms of a consent (agreed at staging) or a payment (applied at submission). */
  saveExchangeRate(tx: TxContext, ownerId: string, terms: ExchangeRateTerms): Promise<void>;
  /** The exchange-rate terms kept for a consent or a payment, if any. */
  findExchangeRate(ownerId: string, tx?: TxContext): Promise<ExchangeRateTerms | undefined>;
}
