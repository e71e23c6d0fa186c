import type { AccountTransaction, Balances } from '../../../../core/index.ts';
import type { Exposed, ExposedAccount } from '../../../../modules/accounts/index.ts';
import { xs2aAmount } from '../accounts/xs2a-account-mapping.ts';
import { utcDayOf } from '../../../../platform/calendar/index.ts';

const ACCOUNT_STATUS = { Enabled: 'enabled', Disabled: 'blocked', Deleted: 'deleted', Pending: 'blocked' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `cardTransactionId` holds at most 35 characters: a UUID goes without its hyphens. */
const cardTransactionIdOf = (id: string) => (UUID.test(id) ? id.replace(/-/g, '') : id);

/** The `accountReference` of a card account: its masked card number and currency. */
export function cardAccountReferenceOf(account: Pick<ExposedAccount, 'card' | 'currency'>) {
  return { maskedPan: account.card?.maskedPan ?? '', currency: account.currency };
}

/**
 * `cardAccountDetails`: the card by its masked number, its credit limit, and links to what the
 * consent lets the TPP read of it. Debits are quoted negative (`debitAccounting: false`), as on
 * payment accounts.
 */
export function cardAccountDetailsOf(account: ExposedAccount, links: { balances: boolean; transactions: boolean }, base: string) {
  const self = `${base}/${encodeURIComponent(account.accountRef)}`;
  return {
    resourceId: account.accountRef,
    ...cardAccountReferenceOf(account),
    ...(account.holderName ? { ownerName: account.holderName } : {}),
    name: (account.nickname ?? account.name).slice(0, 70),
    product: account.subType.slice(0, 35),
    debitAccounting: false,
    status: ACCOUNT_STATUS[account.status],
    usage: account.holderKind === 'Business' ? 'ORGA' : 'PRIV',
    ...(account.card ? { creditLimit: xs2aAmount(account.card.creditLimitMinor, account.currency) } : {}),
    _links: {
      ...(links.balances ? { balances: { href: `${self}/balances` } } : {}),
      ...(links.transactions ? { transactions: { href: `${self}/transactions` } } : {}),
    },
  };
}

/**
 * A card account's `balanceList`: booked (what is owed, negative), available — the credit left,
 * the limit included — and expected (with the authorisations not yet booked).
 */
export function xs2aCardBalancesOf(balances: Balances) {
  const at = balances.asOf.toISOString();
  return [
    { balanceAmount: xs2aAmount(balances.bookedMinor, balances.currency), balanceType: 'closingBooked', referenceDate: utcDayOf(balances.asOf), lastChangeDateTime: at },
    { balanceAmount: xs2aAmount(balances.availableMinor + balances.overdraftLimitMinor, balances.currency), balanceType: 'interimAvailable', lastChangeDateTime: at, creditLimitIncluded: true },
    { balanceAmount: xs2aAmount(balances.bookedMinor + balances.pendingMinor, balances.currency), balanceType: 'expected', lastChangeDateTime: at },
  ];
}

/**
 * `cardTransaction`: signed like the account's amounts (debits negative), with when the card was
 * used, the amount where it was used and the rate applied (`currencyExchange`: units of the
 * account's currency per unit of the original one), the acceptor and the masked card number. A
 * pending authorisation has no booking date.
 */
export function xs2aCardTransactionOf(transaction: Exposed<AccountTransaction>) {
  const { amount, originalAmount, transactedAt } = transaction;
  const sign = (minor: bigint) => (transaction.creditDebit === 'Debit' ? -minor : minor);
  const id = cardTransactionIdOf(transaction.id);
  return {
    ...(id.length <= 35 ? { cardTransactionId: id } : {}),
    ...(transactedAt ? { transactionDate: utcDayOf(transactedAt), acceptorTransactionDateTime: transactedAt.toISOString() } : {}),
    ...(transaction.status === 'Booked' ? { bookingDate: utcDayOf(transaction.bookingAt) } : {}),
    transactionAmount: xs2aAmount(sign(amount.amountMinor), amount.currency),
    ...(originalAmount ? { originalAmount: xs2aAmount(sign(originalAmount.amountMinor), originalAmount.currency) } : {}),
    ...(originalAmount && transaction.exchangeRate
      ? {
          currencyExchange: [
            {
              sourceCurrency: originalAmount.currency,
              exchangeRate: transaction.exchangeRate,
              unitCurrency: originalAmount.currency,
              targetCurrency: amount.currency,
              quotationDate: utcDayOf(transactedAt ?? transaction.bookingAt),
            },
          ],
        }
      : {}),
    ...(transaction.cardAcceptorId ? { cardAcceptorId: transaction.cardAcceptorId.slice(0, 35) } : {}),
    ...(transaction.merchantCategoryCode && /^\d{4}$/.test(transaction.merchantCategoryCode) ? { merchantCategoryCode: transaction.merchantCategoryCode } : {}),
    ...(transaction.cardMaskedPan ? { maskedPAN: transaction.cardMaskedPan } : {}),
    transactionDetails: (transaction.merchantName ?? transaction.reference ?? transaction.description).slice(0, 1000),
  };
}
