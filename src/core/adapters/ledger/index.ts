export { LedgerCoreBanking } from './ledger-core-banking.ts';
export type { TransferRequest, TransferResult } from './ledger-core-banking.ts';
export { postEntry, assertBalanced } from './post-entry.ts';
export type { EntryRequest, PostingRequest, PostedEntry } from './post-entry.ts';
export { recordAccountOrder } from './record-account-order.ts';
export { LedgerErrors } from './ledger.errors.ts';
export { statementColumns } from './statement-columns.ts';
export { internalAccountId, INTERNAL_ACCOUNT_PURPOSES, INTERNAL_ACCOUNT_NAMES } from './internal-accounts.ts';
export type { InternalAccountPurpose } from './internal-accounts.ts';
