import { statementColumns } from '../../core/adapters/ledger/index.ts';
import type { StatementDetails } from '../../core/index.ts';
import type { NewRow } from '../../platform/db/index.ts';
import type { Prng } from './prng.ts';

export interface Leg {
  readonly accountId: string;
  /** Signed minor units: positive credits the account. */
  readonly amountMinor: bigint;
  /** Required for customer accounts, ignored for internal ones. */
  readonly line?: StatementDetails;
}

export interface LedgerAccount {
  readonly id: string;
  readonly currency: string;
  /** null for internal accounts, which may go negative. */
  readonly overdraftLimitMinor: bigint | null;
}

/**
 * Books the simulated history in memory with the same rules as the real ledger (post-entry.ts):
 * balanced per currency, never past a customer's overdraft. Entries must arrive in time order so
 * that each statement line's running balance is the balance after that entry.
 */
export class LedgerBuilder {
  readonly entries: NewRow<'bank_journal_entries'>[] = [];
  readonly postings: NewRow<'bank_postings'>[] = [];
  readonly lines: NewRow<'bank_transactions'>[] = [];
  readonly #accounts = new Map<string, LedgerAccount>();
  readonly #balances = new Map<string, bigint>();
  readonly #ids: Prng;
  #lastBookedAt = Number.NEGATIVE_INFINITY;

  constructor(ids: Prng, accounts: readonly LedgerAccount[]) {
    this.#ids = ids;
    for (const account of accounts) {
      this.#accounts.set(account.id, account);
      this.#balances.set(account.id, 0n);
    }
  }

  /** Whether the account is on these books. */
  has(accountId: string): boolean {
    return this.#accounts.has(accountId);
  }

  balance(accountId: string): bigint {
    const balance = this.#balances.get(accountId);
    if (balance === undefined) throw new Error(`unknown account ${accountId}`);
    return balance;
  }

  /** How much the account can still be debited (customer accounts only). */
  headroom(accountId: string): bigint {
    const limit = this.#account(accountId).overdraftLimitMinor;
    if (limit === null) throw new Error(`internal account ${accountId} has no headroom`);
    return this.balance(accountId) + limit;
  }

  post(kind: string, description: string, bookedAt: Date, legs: readonly Leg[]): string {
    if (bookedAt.getTime() < this.#lastBookedAt) throw new Error(`entry ${kind} at ${bookedAt.toISOString()} is out of order`);
    this.#lastBookedAt = bookedAt.getTime();
    const sums = new Map<string, bigint>();
    for (const leg of legs) {
      if (leg.amountMinor === 0n) throw new Error(`zero leg in ${kind}`);
      const { currency } = this.#account(leg.accountId);
      sums.set(currency, (sums.get(currency) ?? 0n) + leg.amountMinor);
    }
    for (const [currency, sum] of sums) if (sum !== 0n) throw new Error(`${kind} is off by ${sum} ${currency}`);
    for (const leg of legs) {
      const { overdraftLimitMinor } = this.#account(leg.accountId);
      if (overdraftLimitMinor !== null && leg.amountMinor < 0n && this.balance(leg.accountId) + leg.amountMinor + overdraftLimitMinor < 0n) {
        throw new Error(`${kind} would take ${leg.accountId} past its overdraft`);
      }
    }

    const entryId = this.#ids.id();
    this.entries.push({ id: entryId, kind, description, external_ref: null, booked_at: bookedAt, value_at: bookedAt, created_at: bookedAt });
    for (const leg of legs) {
      const account = this.#account(leg.accountId);
      const balanceAfter = this.balance(leg.accountId) + leg.amountMinor;
      this.#balances.set(leg.accountId, balanceAfter);
      this.postings.push({ entry_id: entryId, account_id: leg.accountId, currency: account.currency, amount_minor: leg.amountMinor });
      if (account.overdraftLimitMinor === null) continue;
      if (!leg.line) throw new Error(`${kind} has no statement line for ${leg.accountId}`);
      this.lines.push(statementLine(this.#ids.id(), leg, account.currency, entryId, bookedAt, balanceAfter));
    }
    return entryId;
  }

  #account(accountId: string): LedgerAccount {
    const account = this.#accounts.get(accountId);
    if (!account) throw new Error(`unknown account ${accountId}`);
    return account;
  }
}

function statementLine(id: string, leg: Leg, currency: string, entryId: string, bookedAt: Date, balanceAfter: bigint): NewRow<'bank_transactions'> {
  return {
    id,
    account_id: leg.accountId,
    entry_id: entryId,
    status: 'Booked',
    credit_debit: leg.amountMinor > 0n ? 'Credit' : 'Debit',
    amount_minor: leg.amountMinor > 0n ? leg.amountMinor : -leg.amountMinor,
    currency,
    booking_at: bookedAt,
    value_at: bookedAt,
    ...statementColumns(leg.line!),
    balance_after_minor: balanceAfter,
  };
}
