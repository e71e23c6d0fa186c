import type { AccountTransaction } from '../../../../core/index.ts';
import type { Exposed } from '../../../../modules/accounts/index.ts';
import { creditDebitOf, obAmount, obCashAccount } from '../account-information/ob-amounts.ts';
import type { DetailLevel } from '../../../../modules/consents/index.ts';

/** OB `ExternalEntryStatus1Code` of the core's transaction statuses. */
const STATUS = { Booked: 'BOOK', Pending: 'PDNG', Rejected: 'RJCT' } as const;

/** ISO/IEC 7812 issuer prefixes of the card schemes OB `CardSchemeName` names. */
function cardScheme(maskedPan: string): 'VISA' | 'MasterCard' | 'AmericanExpress' | undefined {
  if (maskedPan.startsWith('4')) return 'VISA';
  if (/^(5[1-5]|2[2-7])/.test(maskedPan)) return 'MasterCard';
  if (/^3[47]/.test(maskedPan)) return 'AmericanExpress';
  return undefined;
}

/** The other side of the transaction: who was paid (a debit) or who paid (a credit). */
function counterparty(t: AccountTransaction) {
  if (!t.counterpartyScheme || !t.counterpartyIdentification) return {};
  const account = obCashAccount(t.counterpartyScheme, t.counterpartyIdentification, t.counterpartyName);
  return t.creditDebit === 'Debit' ? { CreditorAccount: account } : { DebtorAccount: account };
}

function detailFields(t: Exposed<AccountTransaction>) {
  const scheme = t.cardMaskedPan ? cardScheme(t.cardMaskedPan) : undefined;
  return {
    TransactionInformation: t.description.slice(0, 500),
    ...(t.balanceAfterMinor !== null && t.status === 'Booked'
      ? { Balance: { CreditDebitIndicator: creditDebitOf(t.balanceAfterMinor), Type: 'ITBD', Amount: obAmount(t.balanceAfterMinor, t.amount.currency) } }
      : {}),
    ...(t.merchantName || t.merchantCategoryCode
      ? { MerchantDetails: { ...(t.merchantName ? { MerchantName: t.merchantName.slice(0, 350) } : {}), ...(t.merchantCategoryCode ? { MerchantCategoryCode: t.merchantCategoryCode } : {}) } }
      : {}),
    ...counterparty(t),
    ...(t.cardMaskedPan && scheme ? { CardInstrument: { CardSchemeName: scheme, Identification: t.cardMaskedPan } } : {}),
  };
}

/**
 * OB v4.0 `OBTransaction6`. Basic is what moved, when and how; Detail adds the narrative, the
 * running balance, the merchant, the counterparty's account and the card (OB v4.0 AIS profile,
 * "Data clusters": `ReadTransactionsDetail`).
 */
export function toObTransaction(t: Exposed<AccountTransaction>, cluster: DetailLevel) {
  return {
    AccountId: t.accountRef,
    TransactionId: t.id,
    ...(t.reference ? { TransactionReference: t.reference.slice(0, 210) } : {}),
    CreditDebitIndicator: t.creditDebit,
    Status: STATUS[t.status],
    TransactionMutability: t.status === 'Pending' ? 'Mutable' : 'Immutable',
    BookingDateTime: t.bookingAt.toISOString(),
    ValueDateTime: t.valueAt.toISOString(),
    Amount: obAmount(t.amount.amountMinor, t.amount.currency),
    BankTransactionCode: { Code: t.bankTransactionCode, SubCode: t.bankTransactionSubcode },
    ...(cluster === 'detail' ? detailFields(t) : {}),
  };
}
