import type {
  Account,
  AccountTransaction,
  Balances,
  Beneficiary,
  CoreBanking,
  DirectDebit,
  HolderRole,
  Party,
  Product,
  ScheduledPayment,
  StandingOrder,
  Statement,
} from '../../core/index.ts';
import type { Cache, Freshness } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Consent } from '../consents/index.ts';
import { projectAccount, type AccountProjection } from './account-projection.ts';
import { publicAccountIds, resolvePublicAccountId } from './account-refs.ts';
import type { AccountReadCache } from './account-read-cache.ts';
import type { AccountReadModelRepository, AccountRefsRepository } from './accounts.repository.port.ts';
import { AccountErrors } from './accounts.errors.ts';
import { permittedDirections } from './ais-permissions.ts';
import { checkPageToken, EMPTY_PAGE, EMPTY_PAGE_TOKEN, pageLinks, type PageLinks } from './transaction-pages.ts';

/** A record of one of the consent's accounts, with the AccountId the TPP knows it by. */
export type Exposed<T> = T & { readonly accountRef: string };

export type ExposedAccount = Exposed<
  Account & {
    readonly accountId: string;
    /** The name of the account's owner, as on the account (OB `Account.Name`). */
    readonly holderName: string | undefined;
  }
>;

export interface TransactionListing {
  readonly items: Exposed<AccountTransaction>[];
  readonly page: PageLinks;
  readonly firstAvailable: Date | undefined;
  readonly lastAvailable: Date | undefined;
}

export interface TransactionRange {
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** A page token from an earlier listing's links. */
  readonly page?: string | undefined;
  /** When the request arrived (see `AccountReads.balances`). */
  readonly asOf?: Freshness | undefined;
}

export interface AccountReadsOptions {
  /** Where public AccountIds are kept. */
  readonly refs: AccountRefsRepository;
  /** The read model of the core's accounts, which the core's events keep current. */
  readonly readModel: AccountReadModelRepository;
  readonly cache: Cache;
  readonly core: CoreBanking;
  /** Shared read cache; without one, every read goes to the core. */
  readonly readCache?: AccountReadCache | undefined;
  /** Transactions per page (default 100). */
  readonly pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 100;
const later = (a: Date | null | undefined, b: Date | undefined) => (!a ? b : !b || a > b ? a : b);
const earlier = (a: Date | null | undefined, b: Date | undefined) => (!a ? b : !b || a < b ? a : b);

/**
 * Account information as a consent lets a TPP see it: only the accounts the PSU selected, only
 * transactions inside the consent's window and permitted directions, each account under its
 * public AccountId. Accounts, their holders and balances come from the read model the core's events
 * keep current (`keepReadModelCurrent`); the rest is read through to the core. Both go through the
 * shared read cache, which the same events invalidate. A core without events is read through.
 */
export class AccountReads {
  private readonly pageSize: number;
  private readonly exposed = new WeakMap<object, unknown[]>();
  private readonly singletons = new WeakMap<object, readonly unknown[]>();

  constructor(private readonly options: AccountReadsOptions) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  private cached<T>(accountIds: readonly string[], what: string, load: () => Promise<T>, asOf?: Freshness): Promise<T> {
    // A core without events cannot say when a copy went stale: read through to it every time.
    const cache = this.options.core.emitsEvents ? this.options.readCache : undefined;
    return cache ? cache.read(accountIds, what, load, asOf) : load();
  }

  /**
   * The account's projection: from the read model, or read through to the core when the read
   * model has none yet (and stored there) or the core emits no events to keep it current.
   */
  private projection(accountId: string, asOf?: Freshness): Promise<AccountProjection> {
    const { core, readModel } = this.options;
    if (!core.emitsEvents) return projectAccount(core, accountId);
    return this.cached([accountId], 'projection', async () => {
      const stored = await readModel.find(accountId);
      if (stored) return stored;
      const projection = await projectAccount(core, accountId);
      await readModel.storeIfAbsent(accountId, projection);
      return projection;
    }, asOf);
  }

  /** A one-item list, the same list for the same (shared, cached) item. */
  private listOf<T extends object>(item: T): readonly T[] {
    let list = this.singletons.get(item) as readonly T[] | undefined;
    if (!list) this.singletons.set(item, (list = [item]));
    return list;
  }

  /**
   * The items under their public AccountIds. Public ids never change, so the exposed copy of a list
   * the read cache shares is itself shared (and, like it, never mutated).
   */
  private async expose<T>(accountIds: readonly string[], items: readonly (T & { accountId: string })[]): Promise<Exposed<T>[]> {
    const known = this.exposed.get(items);
    if (known) return known as Exposed<T>[];
    const refs = await publicAccountIds(this.options.refs, this.options.cache, accountIds);
    const exposed = items.map((item) => ({ ...item, accountRef: refs.get(item.accountId) as string }));
    this.exposed.set(items, exposed);
    return exposed;
  }

  /**
   * The account behind an AccountId, when it is one of the consent's accounts. Unknown ids, other
   * PSUs' accounts and accounts the PSU did not select are the same refusal.
   */
  async resolveAccount(consent: Consent, accountRef: string): Promise<string> {
    const accountId = await resolvePublicAccountId(this.options.refs, this.options.cache, accountRef);
    if (!accountId || !consent.accountIds.includes(accountId)) throw new AppError(AccountErrors.NOT_IN_CONSENT);
    return accountId;
  }

  /** The accounts. `asOf`: when the request arrived (see `balances`). */
  async accounts(consent: Consent, accountIds: readonly string[] = consent.accountIds, asOf?: Freshness): Promise<ExposedAccount[]> {
    const loaded = await Promise.all(accountIds.map((id) => this.projection(id, asOf)));
    return this.expose(accountIds, loaded.flatMap(({ account, holders }) => {
      if (!account) return [];
      const owner = holders.find((h) => h.role === 'Owner') ?? holders[0];
      return [{ ...account, accountId: account.id, holderName: owner?.party.fullLegalName }];
    }));
  }

  /**
   * The balances. `asOf`: when the request arrived — a read of the shared cache issued since then
   * (by a concurrent request) may answer whether the cached copy is current.
   */
  async balances(consent: Consent, accountIds: readonly string[] = consent.accountIds, asOf?: Freshness): Promise<Exposed<Balances>[]> {
    const loaded = await Promise.all(accountIds.map(async (id) => (await this.projection(id, asOf)).balances));
    const present = loaded.filter((b): b is Balances => b !== undefined);
    // One account's balances (the usual read) keep one list while cached, so its exposed and mapped copies are shared too.
    return this.expose(accountIds, present.length === 1 ? this.listOf(present[0]!) : present);
  }

  /**
   * Transactions of the accounts within the consent's window (OB v4.0 `TransactionFromDateTime`/
   * `TransactionToDateTime`) and the caller's booking range, only in the permitted directions,
   * newest first, one page at a time within a snapshot.
   */
  async transactions(consent: Consent, accountIds: readonly string[], range: TransactionRange): Promise<TransactionListing> {
    if (range.from && range.to && range.from > range.to) throw new AppError(AccountErrors.DATE_RANGE_INVALID);
    const cursor = range.page === undefined ? undefined : checkPageToken(range.page);
    const from = later(consent.transactionFrom, range.from);
    const to = earlier(consent.transactionTo, range.to);
    const { credits, debits } = permittedDirections(consent);
    const empty = !credits && !debits || (from && to && from > to);
    const query = {
      from,
      to,
      creditDebit: credits && debits ? undefined : credits ? ('Credit' as const) : ('Debit' as const),
      cursor,
      limit: this.pageSize,
    };
    const what = `transactions:${from?.toISOString() ?? ''}:${to?.toISOString() ?? ''}:${query.creditDebit ?? ''}:${cursor ?? ''}:${this.pageSize}`;
    const page = empty
      ? cursor === undefined || cursor === EMPTY_PAGE_TOKEN ? EMPTY_PAGE : undefined
      : await this.cached(accountIds, what, () => this.options.core.listTransactions(accountIds, query), range.asOf);
    if (!page) throw new AppError(AccountErrors.PAGE_INVALID, { details: [{ path: 'page' }] });
    return {
      items: await this.expose(accountIds, page.items),
      page: pageLinks(page, this.pageSize),
      firstAvailable: page.firstBookingAt,
      lastAvailable: page.lastBookingAt,
    };
  }

  async beneficiaries(consent: Consent, accountIds: readonly string[] = consent.accountIds): Promise<Exposed<Beneficiary>[]> {
    return this.perAccount(accountIds, 'beneficiaries', (id) => this.options.core.listBeneficiaries(id));
  }

  async standingOrders(consent: Consent, accountIds: readonly string[] = consent.accountIds): Promise<Exposed<StandingOrder>[]> {
    return this.perAccount(accountIds, 'standing-orders', (id) => this.options.core.listStandingOrders(id));
  }

  async directDebits(consent: Consent, accountIds: readonly string[] = consent.accountIds): Promise<Exposed<DirectDebit>[]> {
    return this.perAccount(accountIds, 'direct-debits', (id) => this.options.core.listDirectDebits(id));
  }

  async scheduledPayments(consent: Consent, accountIds: readonly string[] = consent.accountIds): Promise<Exposed<ScheduledPayment>[]> {
    return this.perAccount(accountIds, 'scheduled-payments', (id) => this.options.core.listScheduledPayments(id));
  }

  async statements(consent: Consent, accountIds: readonly string[], range: { from?: Date | undefined; to?: Date | undefined }): Promise<Exposed<Statement>[]> {
    if (range.from && range.to && range.from > range.to) throw new AppError(AccountErrors.DATE_RANGE_INVALID);
    const key = `statements:${range.from?.toISOString() ?? ''}:${range.to?.toISOString() ?? ''}`;
    return this.perAccount(accountIds, key, (id) => this.options.core.listStatements(id, { from: range.from, to: range.to }));
  }

  async statement(consent: Consent, accountId: string, statementId: string): Promise<Exposed<Statement>> {
    const statement = await this.options.core.getStatement(accountId, statementId);
    if (!statement) throw new AppError(AccountErrors.STATEMENT_NOT_FOUND);
    const [exposed] = await this.expose([accountId], [statement]);
    return exposed as Exposed<Statement>;
  }

  /** The transactions of one statement's period, within the consent's window and directions. */
  async statementTransactions(consent: Consent, accountId: string, statementId: string, page: string | undefined): Promise<TransactionListing> {
    const statement = await this.statement(consent, accountId, statementId);
    return this.transactions(consent, [accountId], { from: statement.startAt, to: statement.endAt, page });
  }

  /** A statement and every transaction of its period the consent lets the TPP see (the statement file). */
  async statementFile(consent: Consent, accountId: string, statementId: string): Promise<{ statement: Exposed<Statement>; transactions: Exposed<AccountTransaction>[] }> {
    const statement = await this.statement(consent, accountId, statementId);
    const transactions: Exposed<AccountTransaction>[] = [];
    let page: string | undefined;
    do {
      const listing = await this.transactions(consent, [accountId], { from: statement.startAt, to: statement.endAt, page });
      transactions.push(...listing.items);
      page = listing.page.next;
    } while (page);
    return { statement, transactions };
  }

  /** Every party with a role on the account (OB `/accounts/{AccountId}/parties`). */
  async parties(consent: Consent, accountId: string): Promise<Array<{ party: Party; role: HolderRole; sole: boolean }>> {
    const { holders } = await this.projection(accountId);
    const owners = holders.filter((h) => h.role !== 'Delegate').length;
    return holders.map((h) => ({ ...h, sole: owners === 1 && h.role === 'Owner' }));
  }

  /** The account's owner (OB `/accounts/{AccountId}/party`). */
  async accountOwner(consent: Consent, accountId: string): Promise<{ party: Party; role: HolderRole; sole: boolean } | undefined> {
    const parties = await this.parties(consent, accountId);
    return parties.find((p) => p.role === 'Owner') ?? parties[0];
  }

  /** The PSU who authorised the consent (OB `/party`, `ReadPartyPSU`). */
  async psuParty(consent: Consent): Promise<Party | undefined> {
    return consent.partyId ? this.options.core.getParty(consent.partyId) : undefined;
  }

  async products(consent: Consent, accountIds: readonly string[] = consent.accountIds): Promise<Exposed<Product & { accountId: string }>[]> {
    return this.perAccount(accountIds, 'product', async (id) => {
      const product = await this.options.core.getProduct(id);
      return product ? [{ ...product, accountId: id }] : [];
    });
  }

  private async perAccount<T extends { accountId: string }>(accountIds: readonly string[], what: string, load: (accountId: string) => Promise<T[]>): Promise<Exposed<T>[]> {
    const lists = await Promise.all(accountIds.map((id) => this.cached([id], what, () => load(id))));
    return this.expose(accountIds, lists.flat());
  }
}
