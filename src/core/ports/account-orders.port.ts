import type { Money } from '../money.ts';
import type { Payee } from './account-information.port.ts';

/**
 * Standing orders and scheduled payments as the core keeps them on an account. Orders made through
 * payment initiation are recorded here (`recordOrder`), by their id, outside any transaction of the
 * platform: a repeat writes the same state, a later state replaces the earlier one. A core that does
 * not keep such orders records nothing and lists what it has.
 */
export interface AccountOrders {
  listStandingOrders(accountId: string): Promise<StandingOrder[]>;
  listScheduledPayments(accountId: string): Promise<ScheduledPayment[]>;
  recordOrder(change: AccountOrderChange): Promise<void>;
}

/**
 * A change to the orders an account holds: a standing order as it now is, a scheduled payment still
 * to run, or a scheduled payment that has run (Executed) or never will (Cancelled).
 */
export type AccountOrderChange =
  | { readonly standingOrder: StandingOrder }
  | { readonly scheduledPayment: ScheduledPayment }
  | { readonly scheduledPaymentDone: { readonly id: string; readonly accountId: string; readonly status: 'Executed' | 'Cancelled' } };

export interface StandingOrder extends Payee {
  readonly id: string;
  readonly accountId: string;
  readonly frequency: string;
  readonly reference: string | null;
  readonly firstPaymentAt: Date;
  readonly nextPaymentAt: Date | null;
  readonly lastPaymentAt: Date | null;
  readonly finalPaymentAt: Date | null;
  readonly amount: Money;
  readonly status: 'Active' | 'Inactive';
  /** Set where that payment is not `amount` (an order whose first, recurring and final amounts differ). */
  readonly firstAmount?: Money | undefined;
  readonly nextAmount?: Money | undefined;
  readonly lastAmount?: Money | undefined;
  readonly finalAmount?: Money | undefined;
}

export interface ScheduledPayment extends Payee {
  readonly id: string;
  readonly accountId: string;
  readonly scheduledAt: Date;
  readonly scheduledType: 'Arrival' | 'Execution';
  readonly reference: string | null;
  readonly amount: Money;
}

