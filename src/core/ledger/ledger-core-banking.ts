import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type {
  Account,
  AccountScheme,
  Balances,
  CoreBanking,
  Party,
  TransactionPage,
  TransactionQuery,
  TransferRequest,
  TransferResult,
} from '../core-banking.port.ts';
import type { Money } from '../money.ts';
import { LedgerErrors } from './ledger.errors.ts';
import { postEntry } from './post-entry.ts';
import * as map from './row-mappers.ts';

/** A snapshot is the highest transaction sequence number the first page saw. */
const SNAPSHOT = /^\d{1,19}$/;

/** The built-in core bank: the double-entry ledger in the platform's own database. */
export class LedgerCoreBanking implements CoreBanking {
  constructor(private readonly db: Db) {}

  async getParty(partyId: string): Promise<Party | undefined> {
    const row = await this.db.selectFrom('bank_parties').selectAll().where('id', '=', partyId).executeTakeFirst();
    return row && map.toParty(row);
  }

  async listAccountsOfParty(partyId: string): Promise<Account[]> {
    const rows = await this.db
      .selectFrom('bank_accounts')
      .innerJoin('bank_account_holders', 'bank_account_holders.account_id', 'bank_accounts.id')
      .selectAll('bank_accounts')
      .where('bank_account_holders.party_id', '=', partyId)
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
    let query = this.db.selectFrom('bank_accounts').selectAll().where('holder_kind', '!=', 'Internal');
    if (scheme === 'IBAN') query = query.where('iban', '=', compact);
    else if (/^\d{14}$/.test(compact)) query = query.where('sort_code', '=', compact.slice(0, 6)).where('account_number', '=', compact.slice(6));
    else return undefined;
    const row = await query.executeTakeFirst();
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
    return rows.map(({ role, ...party }) => ({ party: map.toParty(party), role }));
  }

  async getBalances(accountId: string): Promise<Balances | undefined> {
    const row = await this.db
      .selectFrom('bank_accounts')
      .select(['id', 'currency', 'balance_minor', 'pending_minor', 'overdraft_limit_minor'])
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      accountId: row.id,
      currency: row.currency,
      bookedMinor: row.balance_minor,
      pendingMinor: row.pending_minor,
      availableMinor: row.balance_minor + row.pending_minor,
      overdraftLimitMinor: row.overdraft_limit_minor,
      asOf: new Date(),
    };
  }

  async listTransactions(accountIds: readonly string[], query: TransactionQuery): Promise<TransactionPage> {
    if (accountIds.length === 0) return { items: [], total: 0, snapshot: '0', firstBookingAt: undefined, lastBookingAt: undefined };
    let snapshot: bigint | undefined;
    if (query.snapshot !== undefined) {
      if (!SNAPSHOT.test(query.snapshot)) throw new AppError(LedgerErrors.INVALID_CURSOR);
      snapshot = BigInt(query.snapshot);
    }
    let filtered = this.db.selectFrom('bank_transactions').where('account_id', 'in', [...accountIds]);
    if (query.from) filtered = filtered.where('booking_at', '>=', query.from);
    if (query.to) filtered = filtered.where('booking_at', '<=', query.to);
    if (query.status) filtered = filtered.where('status', '=', query.status);
    if (query.creditDebit) filtered = filtered.where('credit_debit', '=', query.creditDebit);
    if (snapshot !== undefined) filtered = filtered.where('seq', '<=', snapshot);
    const summary = await filtered
      .select((eb) => [
        eb.fn.countAll<string>().as('total'),
        eb.fn.max('seq').as('last_seq'),
        eb.fn.min('booking_at').as('first_at'),
        eb.fn.max('booking_at').as('last_at'),
      ])
      .executeTakeFirstOrThrow();
    const total = Number(summary.total);
    // The snapshot bounds every later page: rows booked after the first page never shift one.
    const bound = snapshot ?? (summary.last_seq === null ? 0n : BigInt(summary.last_seq));
    const direction = query.order === 'oldest-first' ? 'asc' : 'desc';
    const rows = total === 0 || query.offset >= total
      ? []
      : await filtered.where('seq', '<=', bound).selectAll().orderBy('booking_at', direction).orderBy('seq', direction).offset(query.offset).limit(query.limit).execute();
    return {
      items: rows.map(map.toTransaction),
      total,
      snapshot: bound.toString(),
      firstBookingAt: summary.first_at === null ? undefined : new Date(summary.first_at),
      lastBookingAt: summary.last_at === null ? undefined : new Date(summary.last_at),
    };
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
