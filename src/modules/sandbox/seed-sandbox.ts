import { sql, type Transaction } from 'kysely';
import { AppError } from '../../platform/errors/index.ts';
import type { DatabaseSchema, Db } from '../../platform/db/index.ts';
import { generateSandboxBank } from './generate-sandbox-bank.ts';
import { SandboxErrors } from './sandbox.errors.ts';
import { writeSandboxBank, type SandboxProgress } from './write-sandbox-bank.ts';

/** What `npm start` seeds on first start. */
export const DEFAULT_SANDBOX_SEED = { customers: 8, months: 12, seed: 1 } as const;

export interface SeedSandboxOptions {
  readonly customers: number;
  readonly months: number;
  readonly seed: number;
  /** The history ends here; pass it in so that a seed is reproducible. */
  readonly asOf: Date;
  /** Replace an existing sandbox bank instead of refusing. */
  readonly reset?: boolean | undefined;
  readonly onProgress?: SandboxProgress | undefined;
}

export interface SeedSandboxResult {
  readonly customers: number;
  readonly accounts: number;
  readonly journalEntries: number;
  readonly transactions: number;
}

// Children before parents, so foreign keys never block the reset.
const RESET_ORDER = [
  'sandbox_psus', 'psu_passkeys', 'psu_users', 'bank_transactions', 'bank_postings', 'bank_journal_entries', 'bank_statements',
  'bank_scheduled_payments', 'bank_direct_debits', 'bank_standing_orders', 'bank_beneficiaries', 'bank_account_holders',
  'bank_accounts', 'bank_products', 'bank_parties', 'sandbox_seed_runs',
] as const satisfies readonly (keyof DatabaseSchema)[];

/**
 * Generates and writes the sandbox bank. A reset clears the old bank in the same transaction as
 * the new one is written, so a reseed that fails leaves the old bank in place.
 */
export async function seedSandbox(db: Db, options: SeedSandboxOptions): Promise<SeedSandboxResult> {
  const reset = options.reset ?? false;
  // Fail fast before the slow part; the check is repeated under the lock below.
  if (!reset && (await isSandboxSeeded(db))) throw new AppError(SandboxErrors.ALREADY_SEEDED);
  const dataset = generateSandboxBank(options);
  await writeSandboxBank(db, dataset, {
    seed: options.seed,
    customers: options.customers,
    months: options.months,
    onProgress: options.onProgress,
    prepare: async (trx) => {
      // Two instances starting together on one database must not both seed it.
      await sql`LOCK TABLE sandbox_seed_runs IN EXCLUSIVE MODE`.execute(trx);
      if (!(await isSandboxSeeded(trx))) return;
      if (!reset) throw new AppError(SandboxErrors.ALREADY_SEEDED);
      await clearSandbox(trx);
    },
  });
  return {
    customers: dataset.psus.length,
    accounts: dataset.accounts.length,
    journalEntries: dataset.journalEntries.length,
    transactions: dataset.transactions.length,
  };
}

export async function isSandboxSeeded(db: Db): Promise<boolean> {
  const row = await db.selectFrom('sandbox_seed_runs').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

async function clearSandbox(trx: Transaction<DatabaseSchema>): Promise<void> {
  for (const table of RESET_ORDER) await trx.deleteFrom(table).execute();
}
