import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DatabaseSchema } from '../../../platform/db/index.ts';
import { recordEvent } from '../../../platform/events/index.ts';
import { AppError } from '../../../platform/errors/index.ts';
import { CorePostedV1 } from '../../core-events.ts';
import type { StatementDetails } from '../../ports/index.ts';
import { LedgerErrors } from './ledger.errors.ts';
import { statementColumns } from './statement-columns.ts';

export interface PostingRequest {
  readonly accountId: string;
  readonly currency: string;
  /** Signed minor units: positive credits the account, negative debits it. */
  readonly amountMinor: bigint;
  /** Statement line for customer accounts; internal accounts get none. */
  readonly statement?: StatementDetails | undefined;
}

export interface EntryRequest {
  readonly kind: string;
  readonly description: string;
  /** Idempotency: a second entry with the same reference is not posted; the first is returned. */
  readonly externalRef?: string | undefined;
  readonly bookedAt?: Date | undefined;
  readonly valueAt?: Date | undefined;
  readonly postings: readonly PostingRequest[];
}

export interface PostedEntry {
  readonly entryId: string;
  /** False when the external reference had already been posted (nothing new was written). */
  readonly created: boolean;
  readonly balances: ReadonlyMap<string, bigint>;
}

/** Checks that postings are well formed and sum to zero in every currency. */
export function assertBalanced(postings: readonly PostingRequest[]): void {
  if (postings.length < 2) throw new AppError(LedgerErrors.TOO_FEW_POSTINGS);
  const sums = new Map<string, bigint>();
  for (const posting of postings) {
    if (posting.amountMinor === 0n) throw new AppError(LedgerErrors.ZERO_AMOUNT);
    sums.set(posting.currency, (sums.get(posting.currency) ?? 0n) + posting.amountMinor);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0n) throw new AppError(LedgerErrors.UNBALANCED, { message: `Journal entry is off by ${sum} in ${currency}` });
  }
}

/**
 * Posts one balanced journal entry inside the caller's transaction. Accounts are locked in id
 * order (`FOR UPDATE`), so concurrent entries on the same accounts serialise without deadlock and
 * no balance update is lost; the balance check and the update happen under that lock. The database
 * re-checks the balance of the entry at commit (deferred constraint trigger) and the overdraft
 * floor of every account (CHECK constraint).
 */
export async function postEntry(trx: Transaction<DatabaseSchema>, request: EntryRequest): Promise<PostedEntry> {
  assertBalanced(request.postings);
  const bookedAt = request.bookedAt ?? new Date();
  const valueAt = request.valueAt ?? bookedAt;
  const entryId = randomUUID();

  if (request.externalRef !== undefined) {
    const inserted = await trx
      .insertInto('bank_journal_entries')
      .values({ id: entryId, kind: request.kind, description: request.description, external_ref: request.externalRef, booked_at: bookedAt, value_at: valueAt })
      .onConflict((oc) => oc.column('external_ref').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx.selectFrom('bank_journal_entries').select('id').where('external_ref', '=', request.externalRef).executeTakeFirstOrThrow();
      return { entryId: existing.id, created: false, balances: new Map() };
    }
  }

  const accountIds = [...new Set(request.postings.map((p) => p.accountId))].sort();
  const accounts = await trx
    .selectFrom('bank_accounts')
    .select(['id', 'currency', 'status', 'balance_minor', 'overdraft_limit_minor', 'allow_negative', 'holder_kind'])
    .where('id', 'in', accountIds)
    .orderBy('id')
    .forUpdate()
    .execute();
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const deltas = new Map<string, bigint>();
  for (const posting of request.postings) {
    const account = byId.get(posting.accountId);
    if (!account) throw new AppError(LedgerErrors.ACCOUNT_NOT_FOUND);
    if (account.status !== 'Enabled') throw new AppError(LedgerErrors.ACCOUNT_NOT_ENABLED);
    if (account.currency !== posting.currency) throw new AppError(LedgerErrors.CURRENCY_MISMATCH);
    deltas.set(account.id, (deltas.get(account.id) ?? 0n) + posting.amountMinor);
  }
  for (const [accountId, delta] of deltas) {
    const account = byId.get(accountId)!;
    if (delta < 0n && !account.allow_negative && account.balance_minor + delta + account.overdraft_limit_minor < 0n) {
      throw new AppError(LedgerErrors.INSUFFICIENT_FUNDS);
    }
  }

  if (request.externalRef === undefined) {
    await trx
      .insertInto('bank_journal_entries')
      .values({ id: entryId, kind: request.kind, description: request.description, external_ref: null, booked_at: bookedAt, value_at: valueAt })
      .execute();
  }
  await trx
    .insertInto('bank_postings')
    .values(request.postings.map((p) => ({ entry_id: entryId, account_id: p.accountId, currency: p.currency, amount_minor: p.amountMinor })))
    .execute();

  // One statement for all balance updates: a round trip less per account on the hot path.
  const deltaRows = sql.join(accountIds.map((id) => sql`(${id}, ${deltas.get(id)!}::bigint)`));
  const updated = await sql<{ id: string; balance_minor: bigint }>`
    UPDATE bank_accounts AS a SET balance_minor = a.balance_minor + d.delta
    FROM (VALUES ${deltaRows}) AS d(id, delta)
    WHERE a.id = d.id
    RETURNING a.id, a.balance_minor`.execute(trx);
  const balances = new Map(updated.rows.map((row) => [row.id, BigInt(row.balance_minor)]));

  const lines = request.postings.filter((p) => p.statement && byId.get(p.accountId)!.holder_kind !== 'Internal');
  if (lines.length > 0) {
    await trx
      .insertInto('bank_transactions')
      .values(
        lines.map((p) => ({
          id: randomUUID(),
          account_id: p.accountId,
          entry_id: entryId,
          status: 'Booked' as const,
          credit_debit: p.amountMinor > 0n ? ('Credit' as const) : ('Debit' as const),
          amount_minor: p.amountMinor > 0n ? p.amountMinor : -p.amountMinor,
          currency: p.currency,
          booking_at: bookedAt,
          value_at: valueAt,
          ...statementColumns(p.statement!),
          balance_after_minor: balances.get(p.accountId) ?? null,
        })),
      )
      .execute();
  }

  await recordEvent(trx, CorePostedV1, {
    aggregateId: entryId,
    tppClientId: null,
    payload: { entryId, kind: request.kind, accountIds, bookedAt: bookedAt.toISOString() },
  });
  return { entryId, created: true, balances };
}
