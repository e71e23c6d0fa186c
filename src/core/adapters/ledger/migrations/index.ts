import type { Migrations } from '../../../../platform/db/index.ts';
import * as coreBank from './0002-core-bank.ts';
import * as standingOrderAmounts from './0019-standing-order-amounts.ts';
import * as neutralLedgerSchemes from './0027-neutral-ledger-schemes.ts';
import * as cardAccounts from './0056-card-accounts.ts';

/**
 * The built-in ledger's tables (bank_*): the core bank, its account orders' amounts and neutral
 * schemes, and card accounts (decision 0008h).
 */
export const ledgerMigrations: Migrations = {
  '0002-core-bank': coreBank,
  '0019-standing-order-amounts': standingOrderAmounts,
  '0027-neutral-ledger-schemes': neutralLedgerSchemes,
  '0056-card-accounts': cardAccounts,
};
