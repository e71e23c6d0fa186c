export type * from './core-banking.port.ts';
export type { Money } from './money.ts';
export { parseAmount, formatAmount, currencyExponent, isSupportedCurrency } from './money.ts';
export { ukIban, isValidIban, ibanCheckDigits, BANK_BIC, BANK_CODE } from './identifiers.ts';
export { LedgerCoreBanking } from './ledger/ledger-core-banking.ts';
export { postEntry, assertBalanced, ENTRY_POSTED_SUBJECT } from './ledger/post-entry.ts';
export type { EntryRequest, PostingRequest, PostedEntry, StatementDetails, EntryPostedEvent } from './ledger/post-entry.ts';
export { LedgerErrors } from './ledger/ledger.errors.ts';
