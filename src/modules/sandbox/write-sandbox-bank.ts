import { sql, type Transaction } from 'kysely';
import { AppError } from '../../platform/errors/index.ts';
import type { DatabaseSchema, Db, NewRow } from '../../platform/db/index.ts';
import { hashPassword, PUBLISHED_PASSWORD_HASH_PARAMS } from '../psu-identity/index.ts';
import { SANDBOX_TABLES, type SandboxDataset } from './generate-sandbox-bank.ts';
import { SandboxErrors } from './sandbox.errors.ts';

export type SandboxProgress = (done: number, total: number, phase: string) => void;

export interface WriteSandboxOptions {
  readonly seed: number;
  readonly customers: number;
  readonly months: number;
  readonly onProgress?: SandboxProgress | undefined;
  /** Runs first inside the write transaction (seedSandbox locks, checks and clears there). */
  readonly prepare?: ((trx: Transaction<DatabaseSchema>) => Promise<void>) | undefined;
}

// PostgreSQL takes at most 65,535 bind parameters per statement; stay far below it.
const MAX_ROWS_PER_INSERT = 500;
const MAX_PARAMETERS_PER_INSERT = 20_000;
// scrypt at N=2^17 takes 128 MiB and a libuv thread per hash; two at a time keeps memory modest.
const HASH_CONCURRENCY = 2;

type Table = keyof DatabaseSchema;

/**
 * Writes a generated sandbox bank in one transaction: either all of it is there or none. Accounts
 * go in with their final balances (the CHECK on the overdraft floor sees only final values), and
 * the deferred trigger re-checks every journal entry at commit. Before committing, the ledger is
 * reconciled once more in SQL, so a generator bug cannot leave a bank that does not add up.
 */
export async function writeSandboxBank(db: Db, dataset: SandboxDataset, options: WriteSandboxOptions): Promise<void> {
  const tables = Object.entries(SANDBOX_TABLES).map(([name, table]) => [table, dataset[name as keyof typeof SANDBOX_TABLES]] as const);
  const psuCount = dataset.psus.length;
  const total = tables.reduce((sum, [, rows]) => sum + rows.length, 0) + psuCount * 3 + 1;
  let done = 0;
  const report = (count: number, phase: string): void => {
    done += count;
    options.onProgress?.(done, total, phase);
  };

  // Hashing is CPU work; it happens before the transaction so no locks are held meanwhile. The
  // sandbox publishes these passwords, so their hashes take the published-password work factor.
  const hashes = await mapConcurrently(dataset.psus, HASH_CONCURRENCY, async (psu) => {
    const hash = await hashPassword(psu.password, PUBLISHED_PASSWORD_HASH_PARAMS);
    report(1, 'passwords');
    return hash;
  });

  await db.transaction().execute(async (trx) => {
    await options.prepare?.(trx);
    for (const [table, rows] of tables) await insertChunked(trx, table, rows, (count) => report(count, table.replace(/^bank_/, '')));
    const users: NewRow<'psu_users'>[] = dataset.psus.map((psu, i) => ({
      id: psu.userId,
      username: psu.username,
      password_hash: hashes[i]!,
      totp_secret: psu.totpSecret,
      party_id: psu.partyId,
    }));
    await insertChunked(trx, 'psu_users', users, (count) => report(count, 'psu users'));
    const published: NewRow<'sandbox_psus'>[] = dataset.psus.map((psu) => ({
      username: psu.username,
      password: psu.password,
      totp_secret: psu.totpSecret,
      name: psu.name,
      party_id: psu.partyId,
      position: psu.position,
    }));
    await insertChunked(trx, 'sandbox_psus', published, (count) => report(count, 'psu users'));
    await trx.insertInto('sandbox_seed_runs').values({ seed: options.seed, customers: options.customers, months: options.months }).execute();
    await assertLedgerReconciles(trx);
  });
  // Counted only after the commit, where the deferred balance trigger has had its say.
  report(1, 'done');
}

async function insertChunked(trx: Transaction<DatabaseSchema>, table: Table, rows: readonly object[], progress: (count: number) => void): Promise<void> {
  if (rows.length === 0) return;
  const columns = Math.max(1, ...rows.slice(0, 10).map((row) => Object.keys(row).length));
  const size = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS_PER_INSERT / columns)));
  for (let offset = 0; offset < rows.length; offset += size) {
    const chunk = rows.slice(offset, offset + size);
    // The table is a union here, which Kysely cannot type per row; the dataset's types already are.
    await trx.insertInto(table).values(chunk as never).execute();
    progress(chunk.length);
  }
}

/** Every balance equals the sum of its postings, and every currency's postings sum to zero. */
async function assertLedgerReconciles(trx: Transaction<DatabaseSchema>): Promise<void> {
  const drift = await sql<{ id: string }>`
    SELECT a.id FROM bank_accounts a
      LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM bank_postings GROUP BY account_id) p ON p.account_id = a.id
    WHERE a.balance_minor <> coalesce(p.total, 0)
    LIMIT 5`.execute(trx);
  if (drift.rows.length > 0) {
    throw new AppError(SandboxErrors.INCONSISTENT_LEDGER, { message: `balances differ from their postings: ${drift.rows.map((r) => r.id).join(', ')}` });
  }
  const unbalanced = await sql<{ currency: string }>`
    SELECT currency FROM bank_postings GROUP BY currency HAVING sum(amount_minor) <> 0`.execute(trx);
  if (unbalanced.rows.length > 0) {
    throw new AppError(SandboxErrors.INCONSISTENT_LEDGER, { message: `postings do not sum to zero in ${unbalanced.rows.map((r) => r.currency).join(', ')}` });
  }
}

async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
