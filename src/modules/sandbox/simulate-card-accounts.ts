import { createHash } from 'node:crypto';
import { internalAccountId, statementColumns } from '../../core/adapters/ledger/index.ts';
import type { StatementDetails } from '../../core/index.ts';
import type { NewRow } from '../../platform/db/index.ts';
import { addDays, DAY_MS, HOUR_MS, MINUTE_MS, startOfDay } from './calendar.ts';
import { LedgerBuilder } from './ledger-builder.ts';
import type { Prng } from './prng.ts';
import type { Merchant, MerchantCategory } from './sandbox-catalogue.ts';
import type { CustomerPlan } from './sandbox-plan.ts';

/** A customer's credit card account: a ledger account with a card, its limit the account's overdraft limit. */
export interface CardAccountPlan {
  readonly id: string;
  readonly partyId: string;
  readonly currency: 'EUR';
  readonly name: string;
  readonly maskedPan: string;
  readonly creditLimitMinor: bigint;
  readonly openedAt: Date;
}

export interface SimulatedCards {
  readonly cards: readonly CardAccountPlan[];
  readonly holders: NewRow<'bank_account_holders'>[];
  readonly ledger: LedgerBuilder;
  /** Authorisations of the last two days, not yet booked. */
  readonly pending: NewRow<'bank_transactions'>[];
}

/** Where a card is used abroad: a merchant priced in another currency, and the bank's rate for it (EUR per unit). */
interface ForeignMerchant {
  readonly merchant: Merchant;
  readonly currency: string;
  readonly rate: string;
}

const foreign = (name: string, mcc: string, category: MerchantCategory, currency: string, rate: string, minMinor: bigint, maxMinor: bigint): ForeignMerchant => ({
  merchant: { name, mcc, category, minMinor, maxMinor, weight: 1 },
  currency,
  rate,
});

const FOREIGN_MERCHANTS: readonly ForeignMerchant[] = [
  foreign('Pret A Manger London', '5814', 'fast-food', 'GBP', '1.1682', 4_00n, 18_00n),
  foreign('Hudson News New York', '5994', 'books', 'USD', '0.9215', 3_00n, 25_00n),
  foreign('Migros Zürich', '5411', 'groceries', 'CHF', '1.0478', 8_00n, 90_00n),
];

const CARD = 'CustomerCardTransactions';
const CARD_PRODUCTS = [
  { name: 'Portico Visa Credit', bin: '453201' },
  { name: 'Portico Mastercard Credit', bin: '525412' },
] as const;
const LIMITS = [1_500_00n, 2_000_00n, 3_000_00n, 5_000_00n] as const;

/** A merchant's card acceptor id: the same for every purchase there (15 characters, as ISO 8583 field 42). */
const acceptorIdOf = (merchantName: string): string => createHash('sha256').update(merchantName).digest('hex').slice(0, 15).toUpperCase();

/** `amount` × `rate`, half up, in minor units of the same exponent (EUR and the currencies above all have two places). */
function converted(amountMinor: bigint, rate: string): bigint {
  const [whole, fraction = ''] = rate.split('.');
  const scale = 10n ** BigInt(fraction.length);
  return (amountMinor * BigInt(`${whole}${fraction}`) + scale / 2n) / scale;
}

/**
 * One credit card account in euro for each EU customer, with purchases over the window (one or
 * two a week, now and then abroad in another currency: the line then carries the amount there and
 * the rate applied), each booked a day or two after the card was used, a monthly repayment from the
 * customer's account at another bank, and a few authorisations of the last two days still pending.
 * Drawn from its own streams, so the customers' other accounts and histories stay as they were.
 */
export function simulateCardAccounts(prng: Prng, ids: Prng, plans: readonly CustomerPlan[], window: { start: Date; end: Date }): SimulatedCards {
  const cards = plans.map((plan): CardAccountPlan => {
    const product = prng.pick(CARD_PRODUCTS);
    return {
      id: ids.id(),
      partyId: plan.personPartyId,
      currency: 'EUR',
      name: product.name,
      maskedPan: `${product.bin}******${prng.digits(4)}`,
      creditLimitMinor: prng.pick(LIMITS),
      // After the current account, so a PSU's accounts list it first.
      openedAt: new Date(plan.current.openedAt.getTime() + DAY_MS),
    };
  });
  const settlement = internalAccountId('card-settlement', 'EUR');
  const clearing = internalAccountId('clearing', 'EUR');
  const ledger = new LedgerBuilder(ids, [
    { id: settlement, currency: 'EUR', overdraftLimitMinor: null },
    { id: clearing, currency: 'EUR', overdraftLimitMinor: null },
    ...cards.map((card) => ({ id: card.id, currency: card.currency, overdraftLimitMinor: card.creditLimitMinor })),
  ]);

  const events: { at: number; order: number; run: () => void }[] = [];
  const pending: NewRow<'bank_transactions'>[] = [];
  const cutoff = window.end.getTime() - 2 * DAY_MS;
  plans.forEach((plan, i) => {
    const card = cards[i]!;
    const purchase = (merchant: Merchant, usedAt: Date, abroad: ForeignMerchant | undefined): { line: StatementDetails; amountMinor: bigint } => {
      const originalMinor = prng.bigint(merchant.minMinor, merchant.maxMinor);
      const amountMinor = abroad ? converted(originalMinor, abroad.rate) : originalMinor;
      const line: StatementDetails = {
        description: merchant.name,
        bankTransactionCode: CARD,
        bankTransactionSubcode: 'PointOfSale',
        merchantName: merchant.name,
        merchantCategoryCode: merchant.mcc,
        cardMaskedPan: card.maskedPan,
        transactedAt: usedAt,
        cardAcceptorId: acceptorIdOf(merchant.name),
        ...(abroad ? { originalAmount: { amountMinor: originalMinor, currency: abroad.currency }, exchangeRate: abroad.rate } : {}),
      };
      return { line, amountMinor };
    };
    for (let day = startOfDay(addDays(card.openedAt, 1)); day.getTime() < window.end.getTime(); day = addDays(day, 7)) {
      for (let n = prng.int(1, 2); n > 0; n--) {
        const usedAt = new Date(day.getTime() + prng.int(0, 6) * DAY_MS + prng.int(9, 20) * HOUR_MS + prng.int(0, 59) * MINUTE_MS);
        const abroad = prng.chance(0.12) ? prng.pick(FOREIGN_MERCHANTS) : undefined;
        const merchant = abroad?.merchant ?? (prng.chance(0.1) ? prng.pick(plan.bigTicketMerchants) : prng.weighted(plan.favouriteMerchants, (m) => m.weight));
        const { line, amountMinor } = purchase(merchant, usedAt, abroad);
        const bookedAt = new Date(usedAt.getTime() + prng.int(1, 2) * DAY_MS);
        if (usedAt.getTime() <= window.start.getTime() || usedAt.getTime() > window.end.getTime()) continue;
        if (bookedAt.getTime() > window.end.getTime() || usedAt.getTime() > cutoff) {
          pending.push({ id: ids.id(), account_id: card.id, entry_id: null, status: 'Pending', credit_debit: 'Debit', amount_minor: amountMinor, currency: card.currency, booking_at: usedAt, value_at: usedAt, ...statementColumns(line), balance_after_minor: null });
          continue;
        }
        events.push({
          at: bookedAt.getTime(),
          order: events.length,
          run: () => {
            // A purchase past the limit is declined, as the card scheme would.
            if (ledger.headroom(card.id) < amountMinor) return;
            ledger.post('card-purchase', merchant.name, bookedAt, [
              { accountId: card.id, amountMinor: -amountMinor, line },
              { accountId: settlement, amountMinor },
            ]);
          },
        });
      }
    }
    // The statement balance is paid in full on the 5th from the customer's account elsewhere.
    for (let month = new Date(Date.UTC(window.start.getUTCFullYear(), window.start.getUTCMonth() + 1, 5, 6)); month.getTime() <= window.end.getTime(); month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 5, 6))) {
      const at = month;
      events.push({
        at: at.getTime(),
        order: events.length,
        run: () => {
          const owed = -ledger.balance(card.id);
          if (owed <= 0n) return;
          const from = plan.externalCurrent;
          ledger.post('card-repayment', 'Card repayment', at, [
            { accountId: card.id, amountMinor: owed, line: { description: 'Repayment, thank you', bankTransactionCode: 'ReceivedCreditTransfers', bankTransactionSubcode: 'SepaCreditTransfer', counterpartyName: from.name, counterpartyScheme: from.scheme, counterpartyIdentification: from.identification } },
            { accountId: clearing, amountMinor: -owed },
          ]);
        },
      });
    }
  });
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const event of events) event.run();
  // Authorisations are held against what is left of the limit; one that does not fit is declined.
  const held = new Map<string, bigint>();
  const accepted = pending
    .sort((a, b) => (a.booking_at as Date).getTime() - (b.booking_at as Date).getTime())
    .filter((line) => {
      const already = held.get(line.account_id) ?? 0n;
      if (ledger.headroom(line.account_id) - already < line.amount_minor) return false;
      held.set(line.account_id, already + line.amount_minor);
      return true;
    });
  return { cards, holders: cards.map((card) => ({ account_id: card.id, party_id: card.partyId, role: 'Owner' as const })), ledger, pending: accepted };
}
