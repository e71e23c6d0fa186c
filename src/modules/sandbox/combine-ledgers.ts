import type { NewRow } from '../../platform/db/index.ts';
import type { LedgerBuilder } from './ledger-builder.ts';

export interface CombinedLedger {
  readonly entries: NewRow<'bank_journal_entries'>[];
  readonly postings: NewRow<'bank_postings'>[];
  /** Booked statement lines. */
  readonly lines: NewRow<'bank_transactions'>[];
  /** The account's balance over all the books it is on (the internal accounts are on several). */
  balance(accountId: string): bigint;
}

const time = (value: Date | string): number => (value instanceof Date ? value : new Date(value)).getTime();

/**
 * Books simulated apart, each with its own ids, written as one bank: entries, postings and lines in
 * time order, where a tie keeps the order of `ledgers` and of each ledger's own books. A market's
 * simulation thus never draws ids that another market's customers used to get.
 */
export function combineLedgers(ledgers: readonly LedgerBuilder[]): CombinedLedger {
  const entryTimes = new Map<string, number>();
  for (const ledger of ledgers) for (const entry of ledger.entries) entryTimes.set(entry.id, time(entry.booked_at));
  return {
    entries: mergeInTimeOrder(ledgers.map((l) => l.entries), (e) => time(e.booked_at)),
    postings: mergeInTimeOrder(ledgers.map((l) => l.postings), (p) => entryTimes.get(p.entry_id)!),
    lines: mergeInTimeOrder(ledgers.map((l) => l.lines), (l) => time(l.booking_at)),
    balance: (accountId) => ledgers.reduce((sum, ledger) => (ledger.has(accountId) ? sum + ledger.balance(accountId) : sum), 0n),
  };
}

/** Lists each in time order, merged into one in time order; on a tie the earlier list comes first. */
export function mergeInTimeOrder<T>(lists: readonly (readonly T[])[], timeOf: (item: T) => number): T[] {
  return lists.reduce<T[]>((merged, list) => {
    const out: T[] = [];
    let i = 0;
    let j = 0;
    while (i < merged.length || j < list.length) {
      if (j >= list.length || (i < merged.length && timeOf(merged[i]!) <= timeOf(list[j]!))) out.push(merged[i++]!);
      else out.push(list[j++]!);
    }
    return out;
  }, []);
}
