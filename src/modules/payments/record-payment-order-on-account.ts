import { ledgerSchemeOf, type AccountOrderChange, type Money } from '../../core/index.ts';
import type { TxContext } from '../../platform/db/index.ts';
import { accountOrderJob } from './account-order-job.ts';
import type { PaymentOutbox } from './payment-outbox.port.ts';
import type { StandingOrderSchedule } from './standing-order-model.ts';
import { parseStandingOrderFrequency } from './standing-order-frequency.ts';
import { nextInstalmentAt } from './standing-order-plan.ts';
import type { PaymentSummary } from '../consents/index.ts';

interface InstalmentOnAccount {
  readonly at: Date;
  readonly amountMinor: bigint;
}

interface PayeeOfOrder {
  readonly name: string;
  /** Neutral scheme (`SortCodeAccountNumber`, `IBAN`). */
  readonly scheme: string;
  readonly identification: string;
}

/** Instalments counted out to find an order's last date (OB NumberOfPayments); beyond, none is shown. */
const MAX_COUNTED_INSTALMENTS = 1000;

/** The date of an order's last instalment: its final date, or the date of the last of its count. */
function finalPaymentOf(schedule: StandingOrderSchedule): Date | null {
  if (schedule.finalPaymentAt || schedule.numberOfPayments === null || schedule.numberOfPayments > MAX_COUNTED_INSTALMENTS) return schedule.finalPaymentAt;
  let at = schedule.firstPaymentAt;
  for (let n = 1; n < schedule.numberOfPayments; n += 1) {
    const next = nextInstalmentAt(schedule, n, at);
    if (!next) break;
    at = next;
  }
  return at;
}

/**
 * A standing order or scheduled payment made through payment initiation, as the payer's account
 * shows it (AIS `standing-orders`, `scheduled-payments`), in any of its states:
 * - `standing-order`: as set up (no last payment, the first one next) and after each instalment;
 *   active while a next payment is due, inactive after the last or once stopped;
 * - `scheduled-payment`: still to run on `executionAt`;
 * - `scheduled-payment-done`: it has run (`executed`) or never will; it leaves the list.
 */
export type PaymentOrderOnAccount =
  | {
      readonly type: 'standing-order';
      readonly id: string;
      readonly debtorAccountId: string;
      readonly creditor: PayeeOfOrder;
      readonly reference: string | null;
      readonly schedule: StandingOrderSchedule;
      /** The latest instalment paid, and the next one due; amounts in the schedule's currency. */
      readonly lastPayment: InstalmentOnAccount | null;
      readonly nextPayment: InstalmentOnAccount | null;
    }
  | {
      readonly type: 'scheduled-payment';
      readonly id: string;
      readonly debtorAccountId: string;
      readonly creditor: PayeeOfOrder;
      readonly reference: string | null;
      readonly amount: Money;
      readonly executionAt: Date;
    }
  | { readonly type: 'scheduled-payment-done'; readonly id: string; readonly debtorAccountId: string; readonly executed: boolean };

/**
 * A scheduled payment as the submission stores it (domestic or international): the consented
 * payee, reference and instructed amount, due at `executionAt`.
 */
export function scheduledPaymentOnAccount(id: string, consented: { readonly debtorAccountId: string; readonly summary: PaymentSummary }, executionAt: Date): PaymentOrderOnAccount {
  const { summary } = consented;
  return {
    type: 'scheduled-payment',
    id,
    debtorAccountId: consented.debtorAccountId,
    creditor: { name: summary.creditorName, scheme: summary.creditorScheme, identification: summary.creditorIdentification },
    reference: summary.reference,
    amount: { amountMinor: summary.amountMinor, currency: summary.currency },
    executionAt,
  };
}

/**
 * Records a payment order on the payer's account in the core (AccountOrders), through a job
 * scheduled in the caller's transaction — the one that submits the order, runs an instalment or
 * records a payment's execution — so the core learns of every order that was made and of none that
 * was not, without sharing a transaction with it; the core's event invalidates the account's cached
 * AIS reads. For domestic and international standing orders and scheduled payments alike.
 */
export async function recordPaymentOrderOnAccount(outbox: PaymentOutbox, tx: TxContext, order: PaymentOrderOnAccount, now: Date = new Date()): Promise<void> {
  await outbox.schedule(tx, accountOrderJob(order.id, accountOrderChangeOf(order), now), now);
}

/**
 * The order as the core keeps it. A standing order's amount is the one most instalments pay (the
 * recurring amount, else the first), with its first, next, last and final payments' own.
 */
function accountOrderChangeOf(order: PaymentOrderOnAccount): AccountOrderChange {
  if (order.type === 'scheduled-payment-done') {
    return { scheduledPaymentDone: { id: order.id, accountId: order.debtorAccountId, status: order.executed ? 'Executed' : 'Cancelled' } };
  }
  const payee = { creditorName: order.creditor.name, creditorScheme: ledgerSchemeOf(order.creditor.scheme), creditorIdentification: order.creditor.identification };
  if (order.type === 'scheduled-payment') {
    return { scheduledPayment: { id: order.id, accountId: order.debtorAccountId, scheduledAt: order.executionAt, scheduledType: 'Execution', reference: order.reference, amount: order.amount, ...payee } };
  }
  const { schedule } = order;
  const money = (amountMinor: bigint) => ({ amountMinor, currency: schedule.currency });
  // An order with an end pays a final amount: its own, else the recurring one, else the first.
  const bounded = schedule.finalPaymentAt !== null || schedule.numberOfPayments !== null;
  const final = schedule.finalAmountMinor ?? (bounded ? (schedule.recurringAmountMinor ?? schedule.firstAmountMinor) : null);
  return {
    standingOrder: {
      id: order.id,
      accountId: order.debtorAccountId,
      // The core keeps frequencies in the OB v3 form: a rhythm it has no word for is `NotKnown`.
      frequency: parseStandingOrderFrequency(schedule.frequency, schedule.firstPaymentAt)?.kind === 'MnthsInYrDay' ? 'NotKnown' : schedule.frequency,
      reference: order.reference,
      firstPaymentAt: schedule.firstPaymentAt,
      nextPaymentAt: order.nextPayment?.at ?? null,
      lastPaymentAt: order.lastPayment?.at ?? null,
      finalPaymentAt: finalPaymentOf(schedule),
      amount: money(schedule.recurringAmountMinor ?? schedule.firstAmountMinor),
      ...payee,
      status: order.nextPayment ? 'Active' : 'Inactive',
      firstAmount: money(schedule.firstAmountMinor),
      nextAmount: order.nextPayment ? money(order.nextPayment.amountMinor) : undefined,
      lastAmount: order.lastPayment ? money(order.lastPayment.amountMinor) : undefined,
      finalAmount: final === null ? undefined : money(final),
    },
  };
}
