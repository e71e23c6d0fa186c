import type { Db } from '../platform/db/index.ts';
import { LedgerCoreBanking } from '../core/adapters/ledger/index.ts';

/** The built-in ledger's account statuses an operator sets: open, blocked, closed. */
export const LEDGER_ACCOUNT_STATUSES = ['Enabled', 'Disabled', 'Deleted'] as const;
export type LedgerAccountStatus = (typeof LEDGER_ACCOUNT_STATUSES)[number];

/**
 * The bank blocks, closes or re-opens an account of the built-in ledger (`portico accounts
 * status`): the core's AccountChanged event follows, so the read model and the TPPs whose consents
 * hold the account learn of it. False for no such account.
 */
export function changeLedgerAccountStatus(db: Db, accountId: string, status: LedgerAccountStatus): Promise<boolean> {
  return new LedgerCoreBanking(db).changeAccountStatus(accountId, status);
}
