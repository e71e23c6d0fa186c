import { internalAccountId, statementColumns } from '../../core/adapters/ledger/index.ts';
import type { StatementDetails } from '../../core/index.ts';
import type { NewRow } from '../../platform/db/index.ts';
import { addMonths, at, DAY_MS, daysInMonth, eachDay, HOUR_MS, MINUTE_MS, monthlyDates, previousWorkingDay, startOfMonth, weeklyDates } from './calendar.ts';
import { LedgerBuilder } from './ledger-builder.ts';
import { externalScan } from './plan-customers.ts';
import type { Prng } from './prng.ts';
import { ATM_MCC, EUR_MERCHANTS, MERCHANTS, PERSONAL_REFERENCES, type Merchant } from './sandbox-catalogue.ts';
import type { AccountPlan, Counterparty, CustomerPlan } from './sandbox-plan.ts';

/** Instant Saver rate (basis points a year), paid monthly on the balance at the month's start. */
export const SAVER_RATE_BPS = 410n;
export const ARRANGED_OVERDRAFT_FEE_MINOR = 500n;
export const BUSINESS_MONTHLY_FEE_MINOR = 650n;
export const REPLACEMENT_CARD_FEE_MINOR = 500n;

export interface PaymentRecord {
  readonly at: Date;
  readonly amountMinor: bigint;
}

export interface SimulatedHistory {
  readonly ledger: LedgerBuilder;
  /** The last posted payment of each standing order and direct debit, by plan id. */
  readonly lastPayments: ReadonlyMap<string, PaymentRecord>;
  readonly pending: NewRow<'bank_transactions'>[];
}

interface Window {
  readonly start: Date;
  readonly end: Date;
}

// ISO 20022 bank transaction code families and sub-families, spelled out as OB examples do.
const RECEIVED = 'ReceivedCreditTransfers';
const ISSUED = 'IssuedCreditTransfers';
const CARD = 'CustomerCardTransactions';
const DIRECT_DEBIT = 'IssuedDirectDebits';
const CREDIT_OPS = 'MiscellaneousCreditOperations';
const DEBIT_OPS = 'MiscellaneousDebitOperations';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

/** The statement line of a card payment at a merchant's point of sale. */
const cardPurchase = (merchant: Merchant, account: AccountPlan): StatementDetails => ({
  description: merchant.name,
  bankTransactionCode: CARD,
  bankTransactionSubcode: 'PointOfSale',
  merchantName: merchant.name,
  merchantCategoryCode: merchant.mcc,
  cardMaskedPan: account.maskedPan ?? undefined,
});

/** Euro moves as SEPA credit transfers, sterling through the domestic schemes. */
const creditTransfer = (account: AccountPlan): string => (account.currency === 'EUR' ? 'SepaCreditTransfer' : 'DomesticCreditTransfer');

const cp = (counterparty: Counterparty) => ({
  counterpartyName: counterparty.name,
  counterpartyScheme: counterparty.scheme,
  counterpartyIdentification: counterparty.identification,
});

/**
 * Simulates the customers' history over the window. Every movement is drawn up front as a dated
 * event (so the random stream does not depend on balances), then the events are booked in time
 * order; a debit that the account cannot afford is skipped or shrunk, as a real bank would decline it.
 * The customers pay each other from their current accounts, so those must all be in one currency:
 * each market's customers are simulated on their own.
 */
export function simulateHistory(prng: Prng, ids: Prng, plans: readonly CustomerPlan[], accounts: readonly AccountPlan[], window: Window): SimulatedHistory {
  const currencies = [...new Set(accounts.map((a) => a.currency))];
  const ledger = new LedgerBuilder(ids, [
    ...currencies.flatMap((currency) =>
      (['clearing', 'card-settlement', 'cash', 'fees', 'interest'] as const).map((purpose) => ({ id: internalAccountId(purpose, currency), currency, overdraftLimitMinor: null })),
    ),
    ...accounts.map((a) => ({ id: a.id, currency: a.currency, overdraftLimitMinor: a.overdraftLimitMinor })),
  ]);
  const lastPayments = new Map<string, PaymentRecord>();
  const events: { at: number; order: number; run: () => void }[] = [];
  const schedule = (date: Date, run: () => void): void => {
    if (date.getTime() > window.start.getTime() && date.getTime() <= window.end.getTime()) events.push({ at: date.getTime(), order: events.length, run });
  };
  // Card payments take a day or two to settle; the most recent ones are the pending lines.
  const cardCutoff = new Date(window.end.getTime() - 2 * DAY_MS);
  const gl = (purpose: Parameters<typeof internalAccountId>[0], account: AccountPlan) => internalAccountId(purpose, account.currency);

  const spend = (account: AccountPlan, date: Date, merchant: Merchant, amountMinor: bigint): void =>
    schedule(date, () => {
      if (ledger.headroom(account.id) < amountMinor) return;
      ledger.post('card-purchase', merchant.name, date, [
        { accountId: account.id, amountMinor: -amountMinor, line: cardPurchase(merchant, account) },
        { accountId: gl('card-settlement', account), amountMinor },
      ]);
    });

  const fee = (account: AccountPlan, date: Date, description: string, amountMinor: bigint, when: () => boolean = () => true): void =>
    schedule(date, () => {
      if (!when() || ledger.headroom(account.id) < amountMinor) return;
      ledger.post('fee', description, date, [
        { accountId: account.id, amountMinor: -amountMinor, line: { description, bankTransactionCode: DEBIT_OPS, bankTransactionSubcode: 'Fees' } },
        { accountId: gl('fees', account), amountMinor },
      ]);
    });

  /** A transfer between two of the bank's own accounts: no clearing, a line on both sides. */
  const bookTransfer = (from: AccountPlan, to: AccountPlan, date: Date, amountMinor: bigint, kind: string, out: StatementDetails, into: StatementDetails): void => {
    ledger.post(kind, out.description, date, [
      { accountId: from.id, amountMinor: -amountMinor, line: { ...out, ...cp(to.asCounterparty) } },
      { accountId: to.id, amountMinor, line: { ...into, ...cp(from.asCounterparty) } },
    ]);
  };

  const deposit = (account: AccountPlan, date: Date, amountMinor: bigint, kind: string, description: string, reference: string, from: Counterparty, subcode: string): void => {
    ledger.post(kind, description, date, [
      { accountId: gl('clearing', account), amountMinor: -amountMinor },
      { accountId: account.id, amountMinor, line: { description, reference, bankTransactionCode: RECEIVED, bankTransactionSubcode: subcode, ...cp(from) } },
    ]);
  };

  // Random dates in each month of the window, drawn whether or not they fall inside it.
  const inEachMonth = (count: () => number, hours: [number, number], each: (date: Date) => void): void => {
    for (let month = startOfMonth(window.start); month.getTime() <= window.end.getTime(); month = addMonths(month, 1)) {
      const n = count();
      for (let i = 0; i < n; i++) {
        each(at(month.getUTCFullYear(), month.getUTCMonth(), prng.int(1, daysInMonth(month.getUTCFullYear(), month.getUTCMonth())), prng.int(hours[0], hours[1]), prng.int(0, 59)));
      }
    }
  };
  const days = eachDay(window.start, window.end);
  const timeOn = (day: Date, fromHour: number, toHour: number): Date => new Date(day.getTime() + prng.int(fromHour, toHour) * HOUR_MS + prng.int(0, 59) * MINUTE_MS);

  // Opening deposits come first, at the start of the window itself (outside `schedule`'s range).
  const openings: { account: AccountPlan; amountMinor: bigint; from: Counterparty }[] = [];
  for (const plan of plans) {
    openings.push({ account: plan.current, amountMinor: prng.bigint(300_00n, 3_000_00n), from: plan.externalCurrent });
    if (plan.saver) openings.push({ account: plan.saver, amountMinor: prng.bigint(1_000_00n, 10_000_00n), from: plan.externalCurrent });
    if (plan.eur) openings.push({ account: plan.eur, amountMinor: prng.bigint(200_00n, 1_500_00n), from: plan.externalEur });
    if (plan.business) openings.push({ account: plan.business.account, amountMinor: prng.bigint(2_000_00n, 15_000_00n), from: plan.externalCurrent });
  }

  for (const plan of plans) {
    const { current } = plan;

    for (const payday of monthlyDates(window.start, window.end, plan.payday, 6, 0).map(previousWorkingDay)) {
      const month = MONTHS[payday.getUTCMonth()] ?? '';
      schedule(payday, () => deposit(current, payday, plan.salaryMinor, 'salary', `Salary from ${plan.employer.name}`, `SALARY ${month}`, plan.employer, creditTransfer(current)));
    }

    for (const order of plan.standingOrders) {
      const { schedule: rule } = order;
      const dates = rule.kind === 'monthly' ? monthlyDates(window.start, window.end, rule.day, order.hour, 0) : weeklyDates(window.start, window.end, rule.isoWeekday, order.hour, 0);
      for (const date of dates) {
        schedule(date, () => {
          if (ledger.headroom(order.account.id) < order.amountMinor) return;
          const out: StatementDetails = { description: order.description, reference: order.reference, bankTransactionCode: ISSUED, bankTransactionSubcode: 'StandingOrder', ...cp(order.creditor) };
          if (order.creditorAccount) {
            bookTransfer(order.account, order.creditorAccount, date, order.amountMinor, 'standing-order', out, { description: `Standing order from ${order.account.name}`, reference: order.reference, bankTransactionCode: RECEIVED, bankTransactionSubcode: 'StandingOrder' });
          } else {
            ledger.post('standing-order', order.description, date, [
              { accountId: order.account.id, amountMinor: -order.amountMinor, line: out },
              { accountId: gl('clearing', order.account), amountMinor: order.amountMinor },
            ]);
          }
          lastPayments.set(order.id, { at: date, amountMinor: order.amountMinor });
        });
      }
    }

    for (const debit of plan.directDebits) {
      for (const date of monthlyDates(window.start, window.end, debit.day, 5, 0)) {
        // Metered bills move with usage; fixed ones (council tax, subscriptions) do not.
        const amountMinor = debit.variable ? (debit.baseMinor * BigInt(prng.int(85, 120))) / 100n : debit.baseMinor;
        schedule(date, () => {
          if (ledger.headroom(debit.account.id) < amountMinor) return;
          ledger.post('direct-debit', `Direct debit to ${debit.originatorName}`, date, [
            { accountId: debit.account.id, amountMinor: -amountMinor, line: { description: debit.originatorName, reference: debit.mandateId, bankTransactionCode: DIRECT_DEBIT, bankTransactionSubcode: 'DirectDebitPayment', counterpartyName: debit.originatorName } },
            { accountId: gl('clearing', debit.account), amountMinor },
          ]);
          lastPayments.set(debit.id, { at: date, amountMinor });
        });
      }
    }

    for (const day of days) {
      const purchases = (prng.chance(plan.cardPurchasesPerWeek / 7) ? 1 : 0) + (prng.chance(plan.cardPurchasesPerWeek / 28) ? 1 : 0);
      for (let i = 0; i < purchases; i++) {
        const merchant = prng.chance(0.8) ? prng.weighted(plan.favouriteMerchants, (m) => m.weight) : prng.weighted(plan.merchants, (m) => m.weight);
        const date = timeOn(day, 7, 21);
        const amountMinor = prng.bigint(merchant.minMinor, merchant.maxMinor);
        if (date.getTime() <= cardCutoff.getTime()) spend(current, date, merchant, amountMinor);
      }
      if (prng.chance(0.035)) {
        const date = timeOn(day, 8, 22);
        const amountMinor = prng.pick([10_00n, 20_00n, 30_00n, 50_00n, 100_00n]);
        const description = `Cash withdrawal ${plan.town}`;
        schedule(date, () => {
          if (ledger.headroom(current.id) < amountMinor) return;
          ledger.post('cash-withdrawal', description, date, [
            { accountId: current.id, amountMinor: -amountMinor, line: { description, bankTransactionCode: CARD, bankTransactionSubcode: 'CashWithdrawal', merchantName: `ATM ${plan.town}`, merchantCategoryCode: ATM_MCC, cardMaskedPan: current.maskedPan ?? undefined } },
            { accountId: gl('cash', current), amountMinor },
          ]);
        });
      }
    }

    // Money that builds up gets spent on something big now and then, as it does in real life.
    inEachMonth(() => 1, [9, 20], (date) => {
      const merchant = prng.weighted(plan.bigTicketMerchants, (m) => m.weight);
      const share = BigInt(prng.int(30, 80));
      if (date.getTime() > cardCutoff.getTime()) return;
      schedule(date, () => {
        const spare = ledger.balance(current.id) - plan.salaryMinor;
        const amountMinor = minBig(maxBig(merchant.minMinor, (spare * share) / 100n), merchant.maxMinor);
        if (spare < merchant.minMinor || ledger.headroom(current.id) < amountMinor) return;
        ledger.post('card-purchase', merchant.name, date, [
          { accountId: current.id, amountMinor: -amountMinor, line: cardPurchase(merchant, current) },
          { accountId: gl('card-settlement', current), amountMinor },
        ]);
      });
    });

    // Overdraft users pay a flat monthly fee; the rare lost card costs a replacement.
    if (current.overdraftLimitMinor > 0n) {
      for (const date of monthlyDates(window.start, window.end, 31, 22, 0)) {
        fee(current, date, 'Arranged overdraft fee', ARRANGED_OVERDRAFT_FEE_MINOR, () => ledger.balance(current.id) < 0n);
      }
    }
    if (prng.chance(0.1)) fee(current, timeOn(days[prng.int(0, days.length - 1)] ?? window.start, 9, 17), 'Replacement card fee', REPLACEMENT_CARD_FEE_MINOR);

    inEachMonth(() => (prng.chance(0.5) ? 1 : 0), [10, 22], (date) => {
      const others = plans.filter((p) => p !== plan);
      const recipient = prng.pick(others);
      const amountMinor = prng.bigint(5_00n, 60_00n);
      const reference = prng.pick(PERSONAL_REFERENCES);
      schedule(date, () => {
        if (ledger.headroom(current.id) < amountMinor) return;
        bookTransfer(current, recipient.current, date, amountMinor, 'transfer',
          { description: `Payment to ${recipient.fullName}`, reference, bankTransactionCode: ISSUED, bankTransactionSubcode: creditTransfer(current) },
          { description: `Payment from ${plan.fullName}`, reference, bankTransactionCode: RECEIVED, bankTransactionSubcode: creditTransfer(current) });
      });
    });

    if (plan.saver) simulateSaver(plan.saver);
    if (plan.eur) simulateEur(plan, plan.eur);
    if (plan.business) simulateBusiness(plan, plan.business);
  }

  function simulateSaver(saver: AccountPlan): void {
    const current = plans.find((p) => p.saver === saver)!.current;
    for (const date of monthlyDates(window.start, window.end, 1, 2, 0)) {
      schedule(date, () => {
        const interest = (ledger.balance(saver.id) * SAVER_RATE_BPS) / 120_000n;
        if (interest <= 0n) return;
        ledger.post('interest', 'Interest paid', date, [
          { accountId: gl('interest', saver), amountMinor: -interest },
          { accountId: saver.id, amountMinor: interest, line: { description: 'Interest paid', bankTransactionCode: CREDIT_OPS, bankTransactionSubcode: 'Interest' } },
        ]);
      });
    }
    inEachMonth(() => (prng.chance(0.6) ? 1 : 0), [8, 21], (date) => {
      const wanted = prng.bigint(100_00n, 1_000_00n);
      schedule(date, () => {
        // Savers move spare money, never money borrowed on the overdraft.
        const amountMinor = minBig(wanted, ledger.balance(current.id) - 500_00n);
        if (amountMinor < 10_00n) return;
        bookTransfer(current, saver, date, amountMinor, 'transfer',
          { description: 'Transfer to Instant Saver', bankTransactionCode: ISSUED, bankTransactionSubcode: 'InternalBookTransfer' },
          { description: 'Transfer from current account', bankTransactionCode: RECEIVED, bankTransactionSubcode: 'InternalBookTransfer' });
      });
    });
    inEachMonth(() => (prng.chance(0.15) ? 1 : 0), [8, 21], (date) => {
      const wanted = prng.bigint(100_00n, 500_00n);
      schedule(date, () => {
        const amountMinor = minBig(wanted, ledger.balance(saver.id));
        if (amountMinor < 10_00n) return;
        bookTransfer(saver, current, date, amountMinor, 'transfer',
          { description: 'Withdrawal to current account', bankTransactionCode: ISSUED, bankTransactionSubcode: 'InternalBookTransfer' },
          { description: 'Transfer from Instant Saver', bankTransactionCode: RECEIVED, bankTransactionSubcode: 'InternalBookTransfer' });
      });
    });
  }

  function simulateEur(plan: CustomerPlan, eur: AccountPlan): void {
    inEachMonth(() => (prng.chance(0.6) ? 1 : 0), [9, 18], (date) => {
      const amountMinor = prng.bigint(100_00n, 600_00n);
      schedule(date, () => deposit(eur, date, amountMinor, 'top-up', 'Top-up', 'TOP UP', plan.externalEur, 'SepaCreditTransfer'));
    });
    for (const day of days) {
      if (!prng.chance(0.12)) continue;
      const merchant = prng.weighted(EUR_MERCHANTS, (m) => m.weight);
      const date = timeOn(day, 8, 22);
      const amountMinor = prng.bigint(merchant.minMinor, merchant.maxMinor);
      if (date.getTime() <= cardCutoff.getTime()) spend(eur, date, merchant, amountMinor);
    }
  }

  function simulateBusiness(plan: CustomerPlan, business: NonNullable<CustomerPlan['business']>): void {
    const { account } = business;
    let invoice = prng.int(1000, 4000);
    inEachMonth(() => prng.int(2, 6), [9, 16], (date) => {
      const client = prng.pick(business.clients);
      const amountMinor = prng.bigint(150_00n, 2_500_00n);
      const reference = `INV-${invoice++}`;
      const from = externalScan(prng, client);
      schedule(date, () => deposit(account, date, amountMinor, 'invoice-receipt', `Payment from ${client}`, reference, from, 'DomesticCreditTransfer'));
    });
    inEachMonth(() => prng.int(2, 5), [9, 16], (date) => {
      const supplier = prng.pick(business.suppliers);
      const amountMinor = prng.bigint(80_00n, 1_500_00n);
      const reference = `ACC ${prng.digits(6)}`;
      schedule(date, () => {
        if (ledger.headroom(account.id) < amountMinor) return;
        ledger.post('supplier-payment', `Payment to ${supplier.name}`, date, [
          { accountId: account.id, amountMinor: -amountMinor, line: { description: `Payment to ${supplier.name}`, reference, bankTransactionCode: ISSUED, bankTransactionSubcode: 'DomesticCreditTransfer', ...cp(supplier) } },
          { accountId: gl('clearing', account), amountMinor },
        ]);
      });
    });
    for (const date of monthlyDates(window.start, window.end, 28, 12, 0)) {
      schedule(date, () => {
        // Drawings come out of profit only, never out of the business overdraft.
        const amountMinor = minBig(business.drawingsMinor, ledger.balance(account.id) - 500_00n);
        if (amountMinor < 100_00n) return;
        bookTransfer(account, plan.current, date, amountMinor, 'transfer',
          { description: `Drawings to ${plan.fullName}`, reference: 'DRAWINGS', bankTransactionCode: ISSUED, bankTransactionSubcode: 'DomesticCreditTransfer' },
          { description: `Transfer from ${business.name}`, reference: 'DRAWINGS', bankTransactionCode: RECEIVED, bankTransactionSubcode: 'DomesticCreditTransfer' });
      });
    }
    for (const date of monthlyDates(window.start, window.end, 1, 3, 0)) fee(account, date, 'Monthly account fee', BUSINESS_MONTHLY_FEE_MINOR);
    const businessMerchants = MERCHANTS.filter((m) => ['online', 'diy', 'electronics', 'fuel'].includes(m.category));
    for (const day of days) {
      if (!prng.chance(0.08)) continue;
      const merchant = prng.pick(businessMerchants);
      const date = timeOn(day, 8, 18);
      const amountMinor = prng.bigint(merchant.minMinor, merchant.maxMinor);
      if (date.getTime() <= cardCutoff.getTime()) spend(account, date, merchant, amountMinor);
    }
  }

  for (const opening of openings) {
    deposit(opening.account, window.start, opening.amountMinor, 'opening-deposit', 'Opening deposit', 'OPENING DEPOSIT', opening.from, creditTransfer(opening.account));
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const event of events) event.run();

  return { ledger, lastPayments, pending: pendingCardLines(prng, ids, ledger, plans, window) };
}

/** 1–3 card authorisations per current account in the two days before `asOf`, not yet booked. */
function pendingCardLines(prng: Prng, ids: Prng, ledger: LedgerBuilder, plans: readonly CustomerPlan[], window: Window): NewRow<'bank_transactions'>[] {
  const lines: NewRow<'bank_transactions'>[] = [];
  const endMinute = Math.floor(window.end.getTime() / MINUTE_MS) * MINUTE_MS;
  for (const plan of plans) {
    for (const account of [plan.current, plan.business?.account]) {
      if (!account) continue;
      let held = 0n;
      const count = prng.int(1, 3);
      const draws = Array.from({ length: count }, () => {
        const merchant = prng.weighted(plan.favouriteMerchants, (m) => m.weight);
        return { merchant, amountMinor: prng.bigint(merchant.minMinor, merchant.maxMinor), at: new Date(endMinute - prng.int(1, 47 * 60) * MINUTE_MS) };
      }).sort((a, b) => a.at.getTime() - b.at.getTime());
      for (const { merchant, amountMinor, at: bookingAt } of draws) {
        // Authorisations are checked against the available balance, holds included.
        if (ledger.headroom(account.id) - held < amountMinor) continue;
        held += amountMinor;
        lines.push({
          id: ids.id(),
          account_id: account.id,
          entry_id: null,
          status: 'Pending',
          credit_debit: 'Debit',
          amount_minor: amountMinor,
          currency: account.currency,
          booking_at: bookingAt,
          value_at: bookingAt,
          ...statementColumns(cardPurchase(merchant, account)),
          balance_after_minor: null,
        });
      }
    }
  }
  return lines.sort((a, b) => (a.booking_at as Date).getTime() - (b.booking_at as Date).getTime());
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
