import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DatabaseSchema } from '../../../platform/db/index.ts';
import { recordEvents } from '../../../platform/events/index.ts';
import { AppError, type ErrorDefinition } from '../../../platform/errors/index.ts';
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

/** What became of one entry of `postEntries`: posted (or posted before, by its reference), or refused. */
export type EntryOutcome = { readonly posted: PostedEntry } | { readonly refused: ErrorDefinition };

/**
 * Posts one balanced journal entry inside the caller's transaction (`postEntries` with one entry);
 * a refusal (funds, a closed account, a currency) is thrown as its `AppError`.
 */
export async function postEntry(trx: Transaction<DatabaseSchema>, request: EntryRequest): Promise<PostedEntry> {
  const [outcome] = await postEntries(trx, [request]);
  if ('refused' in outcome!) throw new AppError(outcome.refused);
  return outcome!.posted;
}

/**
 * Posts balanced journal entries inside the caller's transaction, in the order given, in a fixed
 * number of statements whatever their number. Accounts are locked in id order (`FOR UPDATE`), so
 * concurrent posters on the same accounts serialise without deadlock and no balance update is
 * lost; each entry is checked under that lock against the balances the entries before it left,
 * and refused alone when it would overdraw an account or names one that is unknown, not enabled or
 * of another currency. An entry whose `externalRef` was posted before is not posted again: its
 * outcome is the first posting (`created: false`). The database re-checks the balance of every
 * entry at commit (deferred constraint trigger) and the overdraft floor of every account (CHECK
 * constraint).
 */
export async function postEntries(trx: Transaction<DatabaseSchema>, requests: readonly EntryRequest[]): Promise<EntryOutcome[]> {
  for (const request of requests) assertBalanced(request.postings);
  const entries = requests.map((request) => {
    const bookedAt = request.bookedAt ?? new Date();
    return { request, id: randomUUID(), bookedAt, valueAt: request.valueAt ?? bookedAt };
  });
  const outcomes: Array<EntryOutcome | undefined> = new Array(entries.length);

  // The journal rows first: a reference posted before (or by a concurrent poster, once it commits) inserts nothing.
  const inserted = new Set(
    (
      await trx
        .insertInto('bank_journal_entries')
        .values(entries.map((e) => ({ id: e.id, kind: e.request.kind, description: e.request.description, external_ref: e.request.externalRef ?? null, booked_at: e.bookedAt, value_at: e.valueAt })))
        .onConflict((oc) => oc.column('external_ref').doNothing())
        .returning('id')
        .execute()
    ).map((row) => row.id),
  );
  const repeated = entries.filter((e) => !inserted.has(e.id)).map((e) => e.request.externalRef!);
  if (repeated.length > 0) {
    const existing = new Map(
      (await trx.selectFrom('bank_journal_entries').select(['id', 'external_ref']).where('external_ref', 'in', repeated).execute()).map((row) => [row.external_ref!, row.id]),
    );
    entries.forEach((e, i) => {
      if (!inserted.has(e.id)) outcomes[i] = { posted: { entryId: existing.get(e.request.externalRef!)!, created: false, balances: new Map() } };
    });
  }

  const fresh = entries.map((entry, index) => ({ ...entry, index })).filter((e) => inserted.has(e.id));
  const accountIds = [...new Set(fresh.flatMap((e) => e.request.postings.map((p) => p.accountId)))].sort();
  const accounts =
    accountIds.length === 0
      ? []
      : await trx
          .selectFrom('bank_accounts')
          .select(['id', 'currency', 'status', 'balance_minor', 'overdraft_limit_minor', 'allow_negative', 'holder_kind'])
          .where('id', 'in', accountIds)
          .orderBy('id')
          .forUpdate()
          .execute();
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const balances = new Map(accounts.map((a) => [a.id, BigInt(a.balance_minor)]));

  // Each fresh entry, in order, against the balances the accepted ones before it left.
  const accepted: Array<(typeof entries)[number] & { readonly balancesAfter: ReadonlyMap<string, bigint> }> = [];
  const refusedIds: string[] = [];
  for (const { index, ...entry } of fresh) {
    const deltas = entryDeltas(entry.request, byId, balances);
    if ('refused' in deltas) {
      outcomes[index] = deltas;
      refusedIds.push(entry.id);
      continue;
    }
    for (const [accountId, delta] of deltas) balances.set(accountId, balances.get(accountId)! + delta);
    const balancesAfter = new Map([...deltas.keys()].map((id) => [id, balances.get(id)!]));
    accepted.push({ ...entry, balancesAfter });
    outcomes[index] = { posted: { entryId: entry.id, created: true, balances: balancesAfter } };
  }
  if (refusedIds.length > 0) await trx.deleteFrom('bank_journal_entries').where('id', 'in', refusedIds).execute();
  if (accepted.length === 0) return outcomes as EntryOutcome[];

  await trx
    .insertInto('bank_postings')
    .values(accepted.flatMap((e) => e.request.postings.map((p) => ({ entry_id: e.id, account_id: p.accountId, currency: p.currency, amount_minor: p.amountMinor }))))
    .execute();

  // One statement for every balance the entries moved, to the balance after the last of them.
  const moved = [...new Set(accepted.flatMap((e) => [...e.balancesAfter.keys()]))].sort();
  const balanceRows = sql.join(moved.map((id) => sql`(${id}, ${balances.get(id)!}::bigint)`));
  await sql`
    UPDATE bank_accounts AS a SET balance_minor = b.balance
    FROM (VALUES ${balanceRows}) AS b(id, balance)
    WHERE a.id = b.id`.execute(trx);

  const lines = accepted.flatMap((e) =>
    e.request.postings
      .filter((p) => p.statement && byId.get(p.accountId)!.holder_kind !== 'Internal')
      .map((p) => ({
        id: randomUUID(),
        account_id: p.accountId,
        entry_id: e.id,
        status: 'Booked' as const,
        credit_debit: p.amountMinor > 0n ? ('Credit' as const) : ('Debit' as const),
        amount_minor: p.amountMinor > 0n ? p.amountMinor : -p.amountMinor,
        currency: p.currency,
        booking_at: e.bookedAt,
        value_at: e.valueAt,
        ...statementColumns(p.statement!),
        balance_after_minor: e.balancesAfter.get(p.accountId)!,
      })),
  );
  if (lines.length > 0) await trx.insertInto('bank_transactions').values(lines).execute();

  await recordEvents(
    trx,
    CorePostedV1,
    accepted.map((e) => ({
      aggregateId: e.id,
      tppClientId: null,
      payload: { entryId: e.id, kind: e.request.kind, accountIds: [...e.balancesAfter.keys()].sort(), bookedAt: e.bookedAt.toISOString() },
    })),
  );
  return outcomes as EntryOutcome[];
}

type LockedAccount = { readonly id: string; readonly currency: string; readonly status: string; readonly overdraft_limit_minor: bigint; readonly allow_negative: boolean };

/** The net change an entry makes to each of its accounts, or why it is refused, given the balances so far. */
function entryDeltas(request: EntryRequest, accounts: ReadonlyMap<string, LockedAccount>, balances: ReadonlyMap<string, bigint>): Map<string, bigint> | { readonly refused: ErrorDefinition } {
  const deltas = new Map<string, bigint>();
  for (const posting of request.postings) {
    const account = accounts.get(posting.accountId);
    if (!account) return { refused: LedgerErrors.ACCOUNT_NOT_FOUND };
    if (account.status !== 'Enabled') return { refused: LedgerErrors.ACCOUNT_NOT_ENABLED };
    if (account.currency !== posting.currency) return { refused: LedgerErrors.CURRENCY_MISMATCH };
    deltas.set(account.id, (deltas.get(account.id) ?? 0n) + posting.amountMinor);
  }
  for (const [accountId, delta] of deltas) {
    const account = accounts.get(accountId)!;
    if (delta < 0n && !account.allow_negative && balances.get(accountId)! + delta + BigInt(account.overdraft_limit_minor) < 0n) {
      return { refused: LedgerErrors.INSUFFICIENT_FUNDS };
    }
  }
  return deltas;
}
