import type { NewRow } from '../../platform/db/index.ts';
import type { Prng } from './prng.ts';

/** What a customer's statement line says about a movement. */
export interface LineDetails {
  readonly description: string;
  readonly reference?: string | null;
  readonly code: string;
  readonly subcode: string;
  readonly merchantName?: string | null;
  readonly merchantCategoryCode?: string | null;
  readonly counterpartyName?: string | null;
  readonly counterpartyScheme?: string | null;
  readonly counterpartyIdentification?: string | null;
  readonly cardMaskedPan?: string | null;
}

export interface Leg {
  readonly accountId: string;
  /** Signed minor units: positive credits the account. */
  readonly amountMinor: bigint;
  /** Required for customer accounts, ignored for internal ones. */
  readonly line?: LineDetails;
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
  const line = leg.line!;
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
    description: line.description,
    reference: line.reference ?? null,
    bank_transaction_code: line.code,
    bank_transaction_subcode: line.subcode,
    merchant_name: line.merchantName ?? null,
    merchant_category_code: line.merchantCategoryCode ?? null,
    counterparty_name: line.counterpartyName ?? null,
    counterparty_scheme: line.counterpartyScheme ?? null,
    counterparty_identification: line.counterpartyIdentification ?? null,
    balance_after_minor: balanceAfter,
    card_masked_pan: line.cardMaskedPan ?? null,
  };
}
