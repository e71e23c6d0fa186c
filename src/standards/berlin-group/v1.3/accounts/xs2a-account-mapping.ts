import { formatAmount, type AccountTransaction, type Balances } from '../../../../core/index.ts';
import type { Exposed, ExposedAccount } from '../../../../modules/accounts/index.ts';
import { utcDayOf } from '../../../../platform/calendar/index.ts';

/** NextGenPSD2 `amount`: a signed decimal with the currency's places. */
export const xs2aAmount = (minor: bigint, currency: string) => ({ currency, amount: formatAmount(minor, currency) });

/** NextGenPSD2 `accountReference` of an account (IBAN, else BBAN as sort code and number). */
export function accountReferenceOf(account: Pick<ExposedAccount, 'iban' | 'sortCode' | 'accountNumber' | 'currency'>) {
  return account.iban ? { iban: account.iban, currency: account.currency } : { bban: `${account.sortCode ?? ''}${account.accountNumber ?? ''}`, currency: account.currency };
}

const ACCOUNT_STATUS = { Enabled: 'enabled', Disabled: 'blocked', Deleted: 'deleted', Pending: 'blocked' } as const;

/** `accountDetails`, with links to what the consent lets the TPP read of it. */
export function accountDetailsOf(account: ExposedAccount, links: { balances: boolean; transactions: boolean }, base: string, balances?: readonly Balances[]) {
  const self = `${base}/${encodeURIComponent(account.accountRef)}`;
  return {
    resourceId: account.accountRef,
    ...accountReferenceOf(account),
    ...(account.bic ? { bic: account.bic } : {}),
    name: account.nickname ?? account.name,
    ...(account.holderName ? { ownerName: account.holderName } : {}),
    product: account.subType,
    cashAccountType: 'CACC',
    status: ACCOUNT_STATUS[account.status],
    usage: account.holderKind === 'Business' ? 'ORGA' : 'PRIV',
    ...(balances ? { balances: balances.flatMap(xs2aBalancesOf) } : {}),
    _links: {
      ...(links.balances ? { balances: { href: `${self}/balances` } } : {}),
      ...(links.transactions ? { transactions: { href: `${self}/transactions` } } : {}),
    },
  };
}

/** `balanceList` entries: booked at close of the last posting, available now, and expected (with pending). */
export function xs2aBalancesOf(balances: Balances) {
  const at = balances.asOf.toISOString();
  return [
    { balanceAmount: xs2aAmount(balances.bookedMinor, balances.currency), balanceType: 'closingBooked', referenceDate: utcDayOf(balances.asOf), lastChangeDateTime: at },
    { balanceAmount: xs2aAmount(balances.availableMinor, balances.currency), balanceType: 'interimAvailable', lastChangeDateTime: at, creditLimitIncluded: false },
    { balanceAmount: xs2aAmount(balances.bookedMinor + balances.pendingMinor, balances.currency), balanceType: 'expected', lastChangeDateTime: at },
  ];
}

/** `transactions` entries: amounts signed (debits negative), counterparties by IBAN where known. */
export function xs2aTransactionOf(transaction: Exposed<AccountTransaction>) {
  const { amount } = transaction;
  const signed = transaction.creditDebit === 'Debit' ? -amount.amountMinor : amount.amountMinor;
  const party = transaction.counterpartyName ?? transaction.merchantName;
  const partyAccount = transaction.counterpartyScheme === 'iban' && transaction.counterpartyIdentification ? { iban: transaction.counterpartyIdentification } : undefined;
  const side = transaction.creditDebit === 'Debit' ? 'creditor' : 'debtor';
  return {
    transactionId: transaction.id,
    bookingDate: utcDayOf(transaction.bookingAt),
    valueDate: utcDayOf(transaction.valueAt),
    transactionAmount: xs2aAmount(signed, amount.currency),
    ...(party ? { [`${side}Name`]: party } : {}),
    ...(partyAccount ? { [`${side}Account`]: partyAccount } : {}),
    remittanceInformationUnstructured: (transaction.reference ?? transaction.description).slice(0, 140),
  };
}

/** A `transactions` entry of a list: the transaction, with the link to its details (`_linksTransactionDetails`). */
export function xs2aListedTransactionOf(transaction: Exposed<AccountTransaction>, base: string) {
  const details = `${base}/${encodeURIComponent(transaction.accountRef)}/transactions/${encodeURIComponent(transaction.id)}`;
  return { ...xs2aTransactionOf(transaction), _links: { transactionDetails: { href: details } } };
}
