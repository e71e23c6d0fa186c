import { sql } from 'kysely';
import { prepared, type Db, type Row } from '../../../platform/db/index.ts';
import { AppError, type ErrorDefinition } from '../../../platform/errors/index.ts';
import { recordEvents } from '../../../platform/events/index.ts';
import { CorePaymentStatusChangedV1 } from '../../core-events.ts';
import {
  type Account,
  type AccountOrderChange,
  type AccountOverview,
  type AccountScheme,
  type AccountTransaction,
  type Balances,
  type CoreBanking,
  type CorePaymentStatus,
  type CoreRejectionReason,
  type HolderRole,
  type Party,
  type PaymentSubmission,
  type StatementDetails,
  type SubmissionAnswer,
  type TransactionPage,
  type TransactionQuery,
} from '../../ports/index.ts';
import type { Money } from '../../money.ts';
import { internalAccountId } from './internal-accounts.ts';
import { BANK_ACCOUNT_COLUMNS } from './ledger.tables.ts';
import { LedgerErrors } from './ledger.errors.ts';
import { postEntries, postEntry, type EntryRequest } from './post-entry.ts';
import { recordAccountOrder } from './record-account-order.ts';
import { changeAccountStatus } from './change-account-status.ts';
import * as map from './row-mappers.ts';
import { submissionStatements } from './submission-statements.ts';

/** `bank_accounts`' columns under the alias `a` of the account overviews' statement. */
const ACCOUNT_COLUMNS_OF_A = BANK_ACCOUNT_COLUMNS.map((column) => `a.${column}` as const);

/** A cursor is the highest transaction sequence number the first page saw and a page index. */
const CURSOR = /^(\d{1,19})\.(\d{1,7})$/;
const cursorOf = (bound: bigint, index: number) => Buffer.from(`${bound}.${index}`).toString('base64url');

/** Ledger refusals that are a submitted payment's fate, not a fault. */
const REJECTIONS = new Map<ErrorDefinition, CoreRejectionReason>([
  [LedgerErrors.INSUFFICIENT_FUNDS, 'insufficient-funds'],
  [LedgerErrors.ACCOUNT_NOT_ENABLED, 'account-not-enabled'],
  [LedgerErrors.CURRENCY_MISMATCH, 'currency-mismatch'],
  [LedgerErrors.ACCOUNT_NOT_FOUND, 'account-not-found'],
]);

export interface TransferRequest {
  readonly debtorAccountId: string;
  readonly creditorAccountId: string;
  readonly amount: Money;
  /** Idempotency key for the execution (e.g. the payment id): executed at most once. */
  readonly externalRef?: string | undefined;
  readonly kind?: string | undefined;
  readonly debtorStatement: StatementDetails;
  readonly creditorStatement: StatementDetails;
  readonly bookedAt?: Date | undefined;
}

export interface TransferResult {
  readonly entryId: string;
  readonly created: boolean;
}

/**
 * The built-in core bank: the double-entry ledger in the platform's own database. It books a
 * submitted payment at once (in its own transaction, never the caller's) and publishes core
 * events through the platform's outbox.
 */
export class LedgerCoreBanking implements CoreBanking {
  readonly emitsEvents = true;

  constructor(private readonly db: Db) {}
  async getParty(partyId: string): Promise<Party | undefined> {
    const row = await this.db.selectFrom('bank_parties').selectAll().where('id', '=', partyId).executeTakeFirst();
    return row && map.toParty(row);
  }

  async listAccountsOfParty(partyId: string): Promise<Account[]> {
    return this.accountsOfParty(partyId, 'payment');
  }

  /** A card account is a ledger account with a card (`card_masked_pan`); its entries are the card's transactions. */
  async listCardAccountsOfParty(partyId: string): Promise<Account[]> {
    return this.accountsOfParty(partyId, 'card');
  }

  private async accountsOfParty(partyId: string, kind: 'payment' | 'card'): Promise<Account[]> {
    const rows = await this.db
      .selectFrom('bank_accounts')
      .innerJoin('bank_account_holders', 'bank_account_holders.account_id', 'bank_accounts.id')
      .selectAll('bank_accounts')
      .where('bank_account_holders.party_id', '=', partyId)
      .where('bank_accounts.card_masked_pan', kind === 'card' ? 'is not' : 'is', null)
      .orderBy('bank_accounts.opened_at')
      .orderBy('bank_accounts.id')
      .execute();
    return rows.map(map.toAccount);
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const row = await this.db.selectFrom('bank_accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
    return row && map.toAccount(row);
  }

  async findAccountByIdentifier(scheme: AccountScheme, identification: string): Promise<Account | undefined> {
    const compact = identification.replace(/[\s-]/g, '').toUpperCase();
    let query = this.db.selectFrom('bank_accounts').select(BANK_ACCOUNT_COLUMNS).where('holder_kind', '!=', 'Internal');
    if (scheme === 'IBAN') query = query.where('iban', '=', compact);
    else if (/^\d{14}$/.test(compact)) query = query.where('sort_code', '=', compact.slice(0, 6)).where('account_number', '=', compact.slice(6));
    else return undefined;
    const row = await query.modifyEnd(prepared()).executeTakeFirst();
    return row && map.toAccount(row);
  }

  async listAccountHolders(accountId: string) {
    const rows = await this.db
      .selectFrom('bank_account_holders')
      .innerJoin('bank_parties', 'bank_parties.id', 'bank_account_holders.party_id')
      .selectAll('bank_parties')
      .select('bank_account_holders.role')
      .where('bank_account_holders.account_id', '=', accountId)
      .orderBy('bank_parties.party_number')
      .execute();
    return rows.map(map.toHolder);
  }

  async getBalances(accountId: string): Promise<Balances | undefined> {
    const row = await this.db
      .selectFrom('bank_accounts')
      .select(['id', 'currency', 'balance_minor', 'pending_minor', 'overdraft_limit_minor'])
      .where('id', '=', accountId)
      .executeTakeFirst();
    return row && map.toBalances(row);
  }

  async getAccountOverviews(accountIds: readonly string[]): Promise<ReadonlyMap<string, AccountOverview>> {
    if (accountIds.length === 0) return new Map();
    // The holders, each party's row with its role, aggregated beside the account's row: one statement.
    const rows = await this.db
      .selectFrom('bank_accounts as a')
      .select(ACCOUNT_COLUMNS_OF_A)
      .select(
        sql<Array<Row<'bank_parties'> & { role: HolderRole }>>`coalesce((
          SELECT jsonb_agg(to_jsonb(p) || jsonb_build_object('role', h.role) ORDER BY p.party_number)
          FROM bank_account_holders h JOIN bank_parties p ON p.id = h.party_id
          WHERE h.account_id = a.id), '[]'::jsonb)`.as('holders'),
      )
      // One array parameter, so that any number of accounts is one statement kept prepared.
      .where(sql<boolean>`a.id = any(${[...accountIds]}::text[])`)
      .modifyEnd(prepared())
      .execute();
    return new Map(
      rows.map(({ holders, ...account }) => [
        account.id,
        { account: map.toAccount(account), holders: holders.map(map.toHolder), balances: map.toBalances(account) },
      ]),
    );
  }

  async listTransactions(accountIds: readonly string[], query: TransactionQuery): Promise<TransactionPage | undefined> {
    let position: { bound: bigint; index: number } | undefined;
    if (query.cursor !== undefined) {
      const match = CURSOR.exec(Buffer.from(query.cursor, 'base64url').toString('utf8'));
      if (!match) return undefined;
      position = { bound: BigInt(match[1]!), index: Number(match[2]) };
    }
    const index = position?.index ?? 0;
    if (accountIds.length === 0) {
      if (index > 0) return undefined;
      const none = cursorOf(0n, 0);
      return { items: [], total: 0, index: 0, cursors: { first: none, last: none }, firstBookingAt: undefined, lastBookingAt: undefined };
    }
    let filtered = this.db.selectFrom('bank_transactions').where('account_id', 'in', [...accountIds]);
    if (query.from) filtered = filtered.where('booking_at', '>=', query.from);
    if (query.to) filtered = filtered.where('booking_at', '<=', query.to);
    if (query.status) filtered = filtered.where('status', '=', query.status);
    if (query.creditDebit) filtered = filtered.where('credit_debit', '=', query.creditDebit);
    if (position) filtered = filtered.where('seq', '<=', position.bound);
    const summary = await filtered
      .select((eb) => [
        eb.fn.countAll<string>().as('total'),
        eb.fn.max('seq').as('last_seq'),
        eb.fn.min('booking_at').as('first_at'),
        eb.fn.max('booking_at').as('last_at'),
      ])
      .executeTakeFirstOrThrow();
    const total = Number(summary.total);
    const pages = Math.max(1, Math.ceil(total / query.limit));
    if (index >= pages) return undefined;
    // The first page's bound holds for every later page: rows booked after it never shift one.
    const bound = position?.bound ?? (summary.last_seq === null ? 0n : BigInt(summary.last_seq));
    const direction = query.order === 'oldest-first' ? 'asc' : 'desc';
    const rows = total === 0
      ? []
      : await filtered.where('seq', '<=', bound).selectAll().orderBy('booking_at', direction).orderBy('seq', direction).offset(index * query.limit).limit(query.limit).execute();
    return {
      items: rows.map(map.toTransaction),
      total,
      index,
      cursors: {
        first: cursorOf(bound, 0),
        previous: index > 0 ? cursorOf(bound, index - 1) : undefined,
        next: index + 1 < pages ? cursorOf(bound, index + 1) : undefined,
        last: cursorOf(bound, pages - 1),
      },
      firstBookingAt: summary.first_at === null ? undefined : new Date(summary.first_at),
      lastBookingAt: summary.last_at === null ? undefined : new Date(summary.last_at),
    };
  }

  async getTransaction(accountId: string, transactionId: string): Promise<AccountTransaction | undefined> {
    const row = await this.db.selectFrom('bank_transactions').selectAll().where('id', '=', transactionId).where('account_id', '=', accountId).executeTakeFirst();
    return row && map.toTransaction(row);
  }

  async listBeneficiaries(accountId: string) {
    const rows = await this.db.selectFrom('bank_beneficiaries').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
    return rows.map(map.toBeneficiary);
  }

  async listStandingOrders(accountId: string) {
    const rows = await this.db.selectFrom('bank_standing_orders').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
    return rows.map(map.toStandingOrder);
  }

  async listDirectDebits(accountId: string) {
    const rows = await this.db.selectFrom('bank_direct_debits').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
    return rows.map(map.toDirectDebit);
  }

  async listScheduledPayments(accountId: string) {
    const rows = await this.db
      .selectFrom('bank_scheduled_payments')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('status', '=', 'Scheduled')
      .orderBy('scheduled_at')
      .execute();
    return rows.map(map.toScheduledPayment);
  }

  async listStatements(accountId: string, query: { from?: Date; to?: Date }) {
    let select = this.db.selectFrom('bank_statements').selectAll().where('account_id', '=', accountId);
    if (query.from) select = select.where('end_at', '>=', query.from);
    if (query.to) select = select.where('start_at', '<=', query.to);
    const rows = await select.orderBy('start_at').execute();
    return rows.map(map.toStatement);
  }

  async getStatement(accountId: string, statementId: string) {
    const row = await this.db.selectFrom('bank_statements').selectAll().where('account_id', '=', accountId).where('id', '=', statementId).executeTakeFirst();
    return row && map.toStatement(row);
  }

  async getProduct(accountId: string) {
    const row = await this.db
      .selectFrom('bank_products')
      .innerJoin('bank_accounts', 'bank_accounts.product_id', 'bank_products.id')
      .selectAll('bank_products')
      .where('bank_accounts.id', '=', accountId)
      .executeTakeFirst();
    return row && map.toProduct(row);
  }

  async checkFunds(accountId: string, amount: Money): Promise<boolean> {
    const row = await this.db
      .selectFrom('bank_accounts')
      .select(['currency', 'balance_minor', 'pending_minor', 'overdraft_limit_minor', 'status'])
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!row || row.status !== 'Enabled' || row.currency !== amount.currency) return false;
    return row.balance_minor + row.pending_minor + row.overdraft_limit_minor >= amount.amountMinor;
  }

  /** The bank blocks (`Disabled`), closes (`Deleted`) or re-opens an account (`changeAccountStatus`); false for no such account. */
  async changeAccountStatus(accountId: string, status: 'Enabled' | 'Disabled' | 'Deleted'): Promise<boolean> {
    return changeAccountStatus(this.db, accountId, status);
  }

  async recordOrder(change: AccountOrderChange): Promise<void> {
    await this.db.transaction().execute((trx) => recordAccountOrder(trx, change));
  }

  /**
   * Books the payment at once, in a transaction of its own: the debtor is debited and the creditor
   * credited — the bank's own account when paid on us, else the clearing account of the currency,
   * where the payment leaves the bank. The entry carries `externalRef`, so a repeat returns the
   * first booking. A refusal (funds, a closed account, the currency) leaves no trace and is the
   * answer; a repeat after it decides again on the accounts as they are then.
   */
  async submit(submission: PaymentSubmission): Promise<SubmissionAnswer> {
    return (await this.submitAll([submission]))[0]!;
  }

  /**
   * `submit` for several payments in one transaction (`postEntries`): each is booked or refused on
   * its own, in the order given, against the balances the ones before it left.
   */
  async submitAll(submissions: readonly PaymentSubmission[]): Promise<SubmissionAnswer[]> {
    const answers: Array<SubmissionAnswer | undefined> = new Array(submissions.length);
    const booking: Array<{ readonly index: number; readonly submission: PaymentSubmission; readonly creditorAccountId: string }> = [];
    submissions.forEach((submission, index) => {
      const creditorAccountId = submission.creditor.accountId ?? internalAccountId('clearing', submission.amount.currency);
      if (creditorAccountId === submission.debtor.accountId) answers[index] = { outcome: 'rejected', reason: 'same-account' };
      else booking.push({ index, submission, creditorAccountId });
    });
    if (booking.length > 0) {
      await this.db.transaction().execute(async (trx) => {
        const outcomes = await postEntries(trx, booking.map(({ submission, creditorAccountId }) => entryOf(submission, creditorAccountId)));
        const booked: Array<{ readonly submission: PaymentSubmission; readonly creditorAccountId: string; readonly entryId: string }> = [];
        outcomes.forEach((outcome, i) => {
          const { index, submission, creditorAccountId } = booking[i]!;
          if ('refused' in outcome) {
            const reason = REJECTIONS.get(outcome.refused);
            if (!reason) throw new AppError(outcome.refused);
            answers[index] = { outcome: 'rejected', reason };
            return;
          }
          const { entryId, created } = outcome.posted;
          answers[index] = { outcome: 'accepted', coreRef: entryId, status: { status: 'booked', coreRef: entryId, bookedAt: submission.requestedAt } };
          if (created) booked.push({ submission, creditorAccountId, entryId });
        });
        await recordEvents(
          trx,
          CorePaymentStatusChangedV1,
          booked.map(({ submission, creditorAccountId, entryId }) => ({
            aggregateId: submission.externalRef,
            tppClientId: null,
            payload: { externalRef: submission.externalRef, coreRef: entryId, status: 'booked' as const, accountIds: [submission.debtor.accountId, creditorAccountId] },
          })),
        );
      });
    }
    return answers as SubmissionAnswer[];
  }

  async paymentStatus(externalRef: string): Promise<CorePaymentStatus | undefined> {
    const entry = await this.db.selectFrom('bank_journal_entries').select(['id', 'booked_at']).where('external_ref', '=', externalRef).executeTakeFirst();
    return entry && { status: 'booked', coreRef: entry.id, bookedAt: entry.booked_at };
  }

  async transfer(request: TransferRequest): Promise<TransferResult> {
    if (request.amount.amountMinor <= 0n) throw new AppError(LedgerErrors.ZERO_AMOUNT, { message: 'Amount must be positive' });
    if (request.debtorAccountId === request.creditorAccountId) throw new AppError(LedgerErrors.SAME_ACCOUNT);
    const { amountMinor, currency } = request.amount;
    const posted = await this.db.transaction().execute((trx) =>
      postEntry(trx, {
        kind: request.kind ?? 'transfer',
        description: request.debtorStatement.description,
        externalRef: request.externalRef,
        bookedAt: request.bookedAt,
        postings: [
          { accountId: request.debtorAccountId, currency, amountMinor: -amountMinor, statement: request.debtorStatement },
          { accountId: request.creditorAccountId, currency, amountMinor, statement: request.creditorStatement },
        ],
      }),
    );
    return { entryId: posted.entryId, created: posted.created };
  }
}

/** The journal entry of a submitted payment: the debtor debited, the creditor (or clearing) credited. */
function entryOf(submission: PaymentSubmission, creditorAccountId: string): EntryRequest {
  const { amountMinor, currency } = submission.amount;
  const statements = submissionStatements(submission);
  return {
    kind: submission.kind,
    description: statements.debtor.description,
    externalRef: submission.externalRef,
    bookedAt: submission.requestedAt,
    postings: [
      { accountId: submission.debtor.accountId, currency, amountMinor: -amountMinor, statement: statements.debtor },
      { accountId: creditorAccountId, currency, amountMinor, statement: statements.creditor },
    ],
  };
}
