export type * from './ports/index.ts';
export { CoreAccountChangedV1, CoreOrdersChangedV1, CorePaymentStatusChangedV1, CorePostedV1 } from './core-events.ts';
export type { Money } from './money.ts';
export { parseAmount, parsePositiveAmount, formatAmount, currencyExponent, isSupportedCurrency } from './money.ts';
export { ukIban, isValidIban, composeIban, BANK_BIC, BANK_CODE } from './identifiers.ts';
export { ledgerSchemeOf, type LedgerAccountScheme } from './ledger-account-scheme.ts';
