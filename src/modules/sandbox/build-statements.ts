import type { NewRow } from '../../platform/db/index.ts';
import { addMonths, startOfMonth } from './calendar.ts';
import type { Prng } from './prng.ts';
import type { AccountPlan } from './sandbox-plan.ts';

/**
 * One regular periodic statement per calendar month that has ended by `asOf`, from the booked
 * lines (pending ones are not on a statement). Lines must be in booking order.
 */
export function buildStatements(ids: Prng, accounts: readonly AccountPlan[], lines: readonly NewRow<'bank_transactions'>[], windowStart: Date, asOf: Date): NewRow<'bank_statements'>[] {
  const byAccount = new Map<string, NewRow<'bank_transactions'>[]>();
  for (const line of lines) {
    if (line.status !== 'Booked') continue;
    const list = byAccount.get(line.account_id) ?? [];
    list.push(line);
    byAccount.set(line.account_id, list);
  }
  const statements: NewRow<'bank_statements'>[] = [];
  for (const account of accounts) {
    const accountLines = byAccount.get(account.id) ?? [];
    let next = 0;
    let balance = 0n;
    for (let start = startOfMonth(windowStart); addMonths(start, 1).getTime() <= asOf.getTime(); start = addMonths(start, 1)) {
      const periodEnd = addMonths(start, 1);
      const opening = balance;
      let credits = 0n;
      let debits = 0n;
      let creditCount = 0;
      let debitCount = 0;
      for (; next < accountLines.length; next++) {
        const line = accountLines[next]!;
        if ((line.booking_at as Date).getTime() >= periodEnd.getTime()) break;
        if (line.credit_debit === 'Credit') {
          credits += line.amount_minor;
          creditCount++;
          balance += line.amount_minor;
        } else {
          debits += line.amount_minor;
          debitCount++;
          balance -= line.amount_minor;
        }
      }
      statements.push({
        id: ids.id(),
        account_id: account.id,
        statement_type: 'RegularPeriodic',
        start_at: start,
        // Inclusive end, as OB statements show it (23:59:59 on the last day); lines are whole minutes.
        end_at: new Date(periodEnd.getTime() - 1000),
        created_at: periodEnd,
        currency: account.currency,
        opening_balance_minor: opening,
        closing_balance_minor: balance,
        total_credits_minor: credits,
        total_debits_minor: debits,
        credit_count: creditCount,
        debit_count: debitCount,
      });
    }
  }
  return statements;
}
