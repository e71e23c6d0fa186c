import type { TxContext } from '../../platform/db/index.ts';
import type { DomesticPayment, PaymentOrderFields, PaymentReach, PaymentStatusReason } from './payment-model.ts';
import type { DomesticStandingOrder, StandingOrderSchedule, StandingOrderStatus } from './standing-order-model.ts';

/** A standing order as a submission stores it, pending. */
export type NewStandingOrderRecord = Omit<PaymentOrderFields, 'statusReason' | 'createdAt' | 'statusUpdatedAt'> & {
  readonly reach: PaymentReach;
  readonly schedule: StandingOrderSchedule;
  readonly debitCurrency: string | null;
};

/** One instalment of a standing order: its number, when it was due and its payment. */
export interface StandingOrderInstalment {
  readonly number: number;
  readonly dueAt: Date;
  readonly payment: DomesticPayment;
}

/** Where a payment stands among its standing order's instalments. */
export interface InstalmentOfPayment {
  readonly standingOrderId: string;
  readonly number: number;
  readonly dueAt: Date;
}

/** What standing orders need from storage: the orders and the instalments they ran. */
export interface StandingOrdersRepository {
  /** Stores the order pending, in the caller's transaction, and answers it as stored. */
  insert(tx: TxContext, order: NewStandingOrderRecord, now: Date): Promise<DomesticStandingOrder>;
  find(id: string): Promise<DomesticStandingOrder | undefined>;
  /** The order set up under a consent, if any (one per consent). */
  findOfConsent(consentId: string): Promise<DomesticStandingOrder | undefined>;
  /** The order, its row locked until `tx` ends: its instalments are made one at a time. */
  lock(tx: TxContext, id: string): Promise<DomesticStandingOrder | undefined>;
  /** The order set up under a consent, its row locked until `tx` ends (`lock`). */
  lockOfConsent(tx: TxContext, consentId: string): Promise<DomesticStandingOrder | undefined>;
  /** The latest instalment made so far, whatever its payment's fate. */
  latestInstalment(tx: TxContext, standingOrderId: string): Promise<{ readonly number: number; readonly dueAt: Date } | undefined>;
  /** The payment of instalment `n`, once made (null: recorded, but its payment is gone). */
  findInstalmentPayment(tx: TxContext, standingOrderId: string, n: number): Promise<DomesticPayment | null | undefined>;
  /** Records instalment `n` and its payment. */
  addInstalment(tx: TxContext, instalment: InstalmentOfPayment & { readonly paymentId: string }): Promise<void>;
  /** The instalment a payment is, if it is one. */
  instalmentOf(tx: TxContext, paymentId: string): Promise<InstalmentOfPayment | undefined>;
  /** The latest instalment whose payment was not rejected. */
  lastPaidInstalment(tx: TxContext, standingOrderId: string): Promise<{ readonly number: number; readonly dueAt: Date } | undefined>;
  /** Settles a pending order's set-up (after its first instalment): set up, or failed with the reason; a cancelled order stays so. */
  recordSetUp(tx: TxContext, id: string, status: StandingOrderStatus, reason: PaymentStatusReason | null, now: Date): Promise<void>;
  /** A pending or set-up order is cancelled at `now`; answers it, or undefined when it was neither. */
  cancel(tx: TxContext, id: string, now: Date): Promise<DomesticStandingOrder | undefined>;
  /** The instalments run so far, in order, each with its payment. */
  listInstalments(standingOrderId: string): Promise<StandingOrderInstalment[]>;
}
