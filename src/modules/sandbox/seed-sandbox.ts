import { AppError } from '../../platform/errors/index.ts';
import { hashPassword, PUBLISHED_PASSWORD_HASH_PARAMS } from '../psu-identity/index.ts';
import { generateSandboxBank } from './generate-sandbox-bank.ts';
import type { SandboxRepository } from './sandbox.repository.port.ts';
import { SandboxErrors } from './sandbox.errors.ts';

/** What `npm start` seeds on first start. */
export const DEFAULT_SANDBOX_SEED = { customers: 8, months: 12, seed: 1 } as const;

export type SandboxProgress = (done: number, total: number, phase: string) => void;

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

// scrypt at N=2^17 takes 128 MiB and a libuv thread per hash; two at a time keeps memory modest.
const HASH_CONCURRENCY = 2;

/**
 * Generates and writes the sandbox bank. A reset clears the old bank in the same transaction as
 * the new one is written, so a reseed that fails leaves the old bank in place.
 */
export async function seedSandbox(records: SandboxRepository, options: SeedSandboxOptions): Promise<SeedSandboxResult> {
  const reset = options.reset ?? false;
  // Fail fast before the slow part; the repository checks again under its lock.
  if (!reset && (await records.isSeeded())) throw new AppError(SandboxErrors.ALREADY_SEEDED);
  const dataset = generateSandboxBank(options);
  const rows = [
    dataset.products, dataset.parties, dataset.accounts, dataset.accountHolders, dataset.journalEntries, dataset.postings,
    dataset.transactions, dataset.beneficiaries, dataset.standingOrders, dataset.directDebits, dataset.scheduledPayments, dataset.statements,
  ].reduce((sum, table) => sum + table.length, 0);
  // Each PSU: a hash, a login identity and a published login; then the commit.
  const total = rows + dataset.psus.length * 3 + 1;
  let done = 0;
  const report = (count: number, phase: string): void => {
    done += count;
    options.onProgress?.(done, total, phase);
  };

  // Hashing is CPU work; it happens before the write so no locks are held meanwhile. The sandbox
  // publishes these passwords, so their hashes take the published-password work factor.
  const passwordHashes = await mapConcurrently(dataset.psus, HASH_CONCURRENCY, async (psu) => {
    const hash = await hashPassword(psu.password, PUBLISHED_PASSWORD_HASH_PARAMS);
    report(1, 'passwords');
    return hash;
  });
  await records.writeBank({ dataset, passwordHashes, run: { seed: options.seed, customers: options.customers, months: options.months }, reset }, report);
  // Counted only after the commit, where the deferred balance trigger has had its say.
  report(1, 'done');
  return {
    customers: dataset.psus.length,
    accounts: dataset.accounts.length,
    journalEntries: dataset.journalEntries.length,
    transactions: dataset.transactions.length,
  };
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
