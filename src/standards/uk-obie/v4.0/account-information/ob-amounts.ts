import { formatAmount, type LedgerAccountScheme } from '../../../../core/index.ts';

/** OB `OBActiveOrHistoricCurrencyAndAmount`: an unsigned decimal and its currency. */
export function obAmount(minor: bigint, currency: string): { Amount: string; Currency: string } {
  return { Amount: formatAmount(minor < 0n ? -minor : minor, currency), Currency: currency };
}

/** OB `CreditDebitIndicator` of a signed balance: zero counts as credit. */
export function creditDebitOf(minor: bigint): 'Credit' | 'Debit' {
  return minor < 0n ? 'Debit' : 'Credit';
}

/** OB `OBInternalAccountIdentification4Code` of each scheme the ledger records. */
const OB_SCHEMES: Readonly<Record<LedgerAccountScheme, string>> = { 'sort-code-account': 'UK.OBIE.SortCodeAccountNumber', iban: 'UK.OBIE.IBAN' };

/** OB `OBCashAccount`: scheme (the ledger's, in OB's name), identification and, when known, the name on the account. */
export function obCashAccount(scheme: string, identification: string, name?: string | null): { SchemeName: string; Identification: string; Name?: string } {
  return { SchemeName: OB_SCHEMES[scheme as LedgerAccountScheme] ?? scheme, Identification: identification, ...(name ? { Name: name.slice(0, 350) } : {}) };
}

/** OB v4.0 `OBRemittanceInformation2` carrying the creditor's reference, when there is one. */
export function obRemittanceReference(reference: string | null) {
  return reference ? { RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: reference.slice(0, 35) } }] } } : {};
}
