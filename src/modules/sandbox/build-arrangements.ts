import type { NewRow } from '../../platform/db/index.ts';
import { addDays, HOUR_MS, startOfDay } from './calendar.ts';
import { externalEuroAreaIban } from './euro-area.ts';
import { externalIban, nextOccurrence } from './plan-customers.ts';
import type { Prng } from './prng.ts';
import { FIRST_NAMES, PERSONAL_REFERENCES, SURNAMES } from './sandbox-catalogue.ts';
import type { AccountPlan, Counterparty, CustomerPlan, DirectDebitPlan, StandingOrderPlan } from './sandbox-plan.ts';
import type { PaymentRecord } from './simulate-history.ts';

export interface Arrangements {
  readonly beneficiaries: NewRow<'bank_beneficiaries'>[];
  readonly standingOrders: NewRow<'bank_standing_orders'>[];
  readonly directDebits: NewRow<'bank_direct_debits'>[];
  readonly scheduledPayments: NewRow<'bank_scheduled_payments'>[];
}

/** The columns of a payee, standing order or scheduled payment that name its creditor. */
const creditorColumns = (creditor: Counterparty) => ({
  creditor_name: creditor.name,
  creditor_scheme: creditor.scheme,
  creditor_identification: creditor.identification,
});

/** An active standing order as of `asOf`, its last payment the one the history made. */
const standingOrderRow = (order: StandingOrderPlan, last: PaymentRecord | undefined, asOf: Date): NewRow<'bank_standing_orders'> => ({
  id: order.id,
  account_id: order.account.id,
  frequency: order.frequency,
  reference: order.reference,
  first_payment_at: nextOccurrence(order, order.account.openedAt),
  next_payment_at: nextOccurrence(order, asOf),
  last_payment_at: last?.at ?? null,
  final_payment_at: null,
  amount_minor: order.amountMinor,
  currency: order.account.currency,
  ...creditorColumns(order.creditor),
  status: 'Active',
});

/** An active direct debit, its previous payment the last one the history collected. */
const directDebitRow = (debit: DirectDebitPlan, last: PaymentRecord | undefined): NewRow<'bank_direct_debits'> => ({
  id: debit.id,
  account_id: debit.account.id,
  mandate_identification: debit.mandateId,
  originator_name: debit.originatorName,
  status: 'Active',
  frequency: `IntrvlMnthDay:01:${String(debit.day).padStart(2, '0')}`,
  previous_payment_at: last?.at ?? null,
  previous_payment_minor: last?.amountMinor ?? null,
  currency: debit.account.currency,
});

/** Payees, standing orders, direct debits and future payments, agreeing with the simulated history. */
export function buildArrangements(prng: Prng, ids: Prng, plans: readonly CustomerPlan[], lastPayments: ReadonlyMap<string, PaymentRecord>, asOf: Date): Arrangements {
  const beneficiaries: NewRow<'bank_beneficiaries'>[] = [];
  const standingOrders: NewRow<'bank_standing_orders'>[] = [];
  const directDebits: NewRow<'bank_direct_debits'>[] = [];
  const scheduledPayments: NewRow<'bank_scheduled_payments'>[] = [];

  const addPayees = (account: AccountPlan, payees: readonly Counterparty[], references: readonly (string | null)[]): void => {
    payees.forEach((payee, i) => {
      beneficiaries.push({
        id: ids.id(),
        account_id: account.id,
        beneficiary_type: i < 2 ? 'Trusted' : 'Ordinary',
        reference: references[i] ?? null,
        ...creditorColumns(payee),
        created_at: new Date(account.openedAt.getTime() + (i + 1) * HOUR_MS),
      });
    });
    const count = prng.int(1, 2);
    for (let i = 0; i < count; i++) {
      const payee = prng.pick(payees);
      scheduledPayments.push({
        id: ids.id(),
        account_id: account.id,
        scheduled_at: addDays(startOfDay(asOf), prng.int(2, 45)),
        scheduled_type: 'Execution',
        reference: prng.pick(PERSONAL_REFERENCES),
        amount_minor: prng.bigint(20_00n, 300_00n),
        currency: account.currency,
        ...creditorColumns(payee),
        status: 'Scheduled',
      });
    }
  };

  for (const plan of plans) {
    const housing = plan.standingOrders[0];
    const payees: Counterparty[] = [];
    const references: (string | null)[] = [];
    if (housing) {
      payees.push(housing.creditor);
      references.push(housing.reference);
    }
    payees.push(plan.family);
    references.push(null);
    if (prng.chance(0.6)) {
      const friend = prng.pick(plans.filter((p) => p !== plan));
      payees.push(friend.current.asCounterparty);
      references.push(null);
    }
    if (prng.chance(0.4)) {
      // Someone abroad; EU customers' payees pass every country's BBAN check, not only mod 97-10.
      const name = `${prng.pick(FIRST_NAMES)} ${prng.pick(SURNAMES)}`;
      payees.push(plan.market === 'EU' ? externalEuroAreaIban(prng, name) : externalIban(prng, name));
      references.push('HOLIDAY');
    }
    addPayees(plan.current, payees, references);
    if (plan.business) addPayees(plan.business.account, plan.business.suppliers, plan.business.suppliers.map(() => `ACC ${prng.digits(6)}`));

    for (const order of plan.standingOrders) standingOrders.push(standingOrderRow(order, lastPayments.get(order.id), asOf));
    for (const debit of plan.directDebits) directDebits.push(directDebitRow(debit, lastPayments.get(debit.id)));
  }
  return { beneficiaries, standingOrders, directDebits, scheduledPayments };
}

