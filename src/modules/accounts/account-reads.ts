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
import { randomBytes } from 'node:crypto';
import { ReadThroughCache, type Cache, type CacheCodec, type Freshness } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { accessScopeOf, accountKindsOf, type AccountKind, type Consent } from '../consents/index.ts';
import { projectAccount, type AccountProjection } from './account-projection.ts';
import type { AccountReadModelRepository, AccountRefsRepository } from './accounts.repository.port.ts';
import { AccountErrors } from './accounts.errors.ts';
import { accountKindOf, identifies, namedAccountsFor, permittedDirections, transactionWindowOf, type AisResource } from './ais-permissions.ts';
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
  /** Only booked, or only pending, transactions (Berlin Group `bookingStatus`); both when absent. */
  readonly status?: 'Booked' | 'Pending' | undefined;
}

/** The shared read cache of account reads, keyed by account (`createAccountReadCache`): `invalidate(accountIds)` on the core's posting events. */
export type AccountReadCache = Pick<ReadThroughCache, 'read' | 'invalidate'>;

export interface AccountReadsOptions {
  /** Where public AccountIds are kept. */
  readonly refs: AccountRefsRepository;
  /** The read model of the core's accounts, which the core's events keep current. */
  readonly readModel: AccountReadModelRepository;
  readonly cache: Cache;
  readonly core: CoreBanking;
  /** Shared read cache (`createAccountReadCache`); without one, every read goes to the core. */
  readonly readCache?: AccountReadCache | undefined;
  /** Transactions per page (default 100). */
  readonly pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 100;
// Public AccountIds are immutable once minted, so they are cached for long, and each process keeps
// the ones it has seen (bounded): a hit saves a cache round trip on every read and is never stale.
const REF_TTL_SECONDS = 24 * 60 * 60;
const REFS_REMEMBERED = 50_000;
/** 160 random bits, base64url: 27 characters, within OB `AccountId` (max 40). */
const PUBLIC_ID = /^[A-Za-z0-9_-]{27}$/;
const mintPublicId = () => randomBytes(20).toString('base64url');
/** The longest id the core gateway contract allows (`Id`): a longer transaction id is unknown without asking the core. */
const MAX_ID_LENGTH = 64;
const AS_TEXT: CacheCodec = { encode: (value) => value as string, decode: (text) => text };
const later = (a: Date | null | undefined, b: Date | undefined) => (!a ? b : !b || a > b ? a : b);
const earlier = (a: Date | null | undefined, b: Date | undefined) => (!a ? b : !b || a < b ? a : b);

/**
 * Account information as a consent's access scope lets a TPP see it: only the accounts the PSU
 * selected (and, where the scope names accounts per kind of data, only those named), only
 * transactions inside the scope's window and permitted directions, each account under its public
 * AccountId. Accounts, their holders and balances come from the read model the core's events
 * keep current (`keepReadModelCurrent`); the rest is read through to the core. Both go through the
 * shared read cache, which the same events invalidate. A core without events is read through.
 */
export class AccountReads {
  private readonly pageSize: number;
  private readonly exposed = new WeakMap<object, unknown[]>();
  private readonly singletons = new WeakMap<object, readonly unknown[]>();
  /** The public AccountId of each account, and the account of each public id (never invalidated: both are immutable). */
  private readonly publicIdOf: ReadThroughCache;
  private readonly accountIdOf: ReadThroughCache;

  constructor(private readonly options: AccountReadsOptions) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const refs = { localEntries: REFS_REMEMBERED, maxAgeMs: Number.POSITIVE_INFINITY, shared: { codec: AS_TEXT, ttlSeconds: REF_TTL_SECONDS } };
    this.publicIdOf = new ReadThroughCache(options.cache, { name: 'accounts:ref', ...refs });
    this.accountIdOf = new ReadThroughCache(options.cache, { name: 'accounts:ref-of', ...refs });
  }

  private cached<T>(accountIds: readonly string[], what: string, load: () => Promise<T>, asOf?: Freshness): Promise<T> {
    // A core without events cannot say when a copy went stale: read through to it every time.
    const cache = this.options.core.emitsEvents ? this.options.readCache : undefined;
    return cache ? cache.read(accountIds, what, load, { asOf }) : load();
  }

  /**
   * The public AccountId of each account (OB v4.0 `AccountId`), minted on first exposure: random
   * (unguessable, says nothing about the account number) and stored (stable across consents).
   * Without the shared cache the database answers: a mapping is immutable, so nothing can be stale.
   */
  private async publicAccountIds(accountIds: readonly string[]): Promise<Map<string, string>> {
    const publicIds = await Promise.all(accountIds.map((accountId) => this.publicIdOf.read([], accountId, async () => {
      const publicId = (await this.options.refs.claimPublicIds(new Map([[accountId, mintPublicId()]]))).get(accountId) as string;
      // The other direction, for the TPP's next call with it.
      await this.accountIdOf.read([], publicId, async () => accountId);
      return publicId;
    })));
    return new Map(accountIds.map((accountId, i) => [accountId, publicIds[i] as string]));
  }

  /** The account behind a public AccountId; undefined for anything never minted. */
  private async accountOfPublicId(publicId: string): Promise<string | undefined> {
    if (!PUBLIC_ID.test(publicId)) return undefined;
    return this.accountIdOf.read([], publicId, () => this.options.refs.findAccountId(publicId));
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
    const refs = await this.publicAccountIds(accountIds);
    const exposed = items.map((item) => ({ ...item, accountRef: refs.get(item.accountId) as string }));
    this.exposed.set(items, exposed);
    return exposed;
  }

  /**
   * The account behind an AccountId, when the consent's access scope lets the resource be read on
   * it: one of the consent's accounts and, when the scope names accounts per kind of data (Berlin
   * Group `access.balances` …), named for every kind the resource reads, and of the kind of account
   * asked for (`payment` unless said). Unknown ids, other PSUs' accounts, accounts the PSU did not
   * select, accounts not named and accounts of the other kind are the same refusal.
   */
  async resolveAccount(consent: Consent, accountRef: string, resource: AisResource, asOf?: Freshness, kind: AccountKind = 'payment'): Promise<string> {
    const accountId = await this.accountOfPublicId(accountRef);
    if (!accountId || !consent.accountIds.includes(accountId)) throw new AppError(AccountErrors.NOT_IN_CONSENT);
    if ((await this.readableAccounts(consent, resource, [accountId], asOf)).length === 0) throw new AppError(AccountErrors.NOT_IN_CONSENT);
    // A scope of payment accounts alone was authorised on payment accounts only: nothing to tell apart.
    const mixed = kind === 'card' || accountKindsOf(accessScopeOf(consent)).includes('card');
    if (mixed && (await this.ofKind(kind, [accountId], asOf)).length === 0) throw new AppError(AccountErrors.NOT_IN_CONSENT);
    return accountId;
  }

  /**
   * Of these accounts, those of the kind: payment accounts, or card accounts (those with a card).
   * What a standard that serves the two apart (Berlin Group `/accounts`, `/card-accounts`) lists.
   */
  async ofKind(kind: AccountKind, accountIds: readonly string[], asOf?: Freshness): Promise<readonly string[]> {
    const projections = await Promise.all(accountIds.map((id) => this.projection(id, asOf)));
    return accountIds.filter((_, i) => {
      const account = projections[i]?.account;
      return account !== undefined && accountKindOf(account) === kind;
    });
  }

  /**
   * Of these of the consent's accounts (default: all of them), those the resource may be read on:
   * all of them, unless the scope names accounts per kind of data (then only those named for every
   * kind the resource reads, matched on the account's identification).
   */
  async readableAccounts(consent: Consent, resource: AisResource, accountIds: readonly string[] = consent.accountIds, asOf?: Freshness): Promise<readonly string[]> {
    const named = namedAccountsFor(consent, resource);
    if (!named) return accountIds;
    const projections = await Promise.all(accountIds.map((id) => this.projection(id, asOf)));
    return accountIds.filter((_, i) => {
      const account = projections[i]?.account;
      return account !== undefined && named.some((identifier) => identifies(account, identifier));
    });
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
   * Transactions of the accounts within the access scope's window (OB v4.0 `TransactionFromDateTime`/
   * `TransactionToDateTime`, Berlin Group has none) and the caller's booking range, only in the
   * permitted directions, newest first, one page at a time within a snapshot.
   */
  async transactions(consent: Consent, accountIds: readonly string[], range: TransactionRange): Promise<TransactionListing> {
    if (range.from && range.to && range.from > range.to) throw new AppError(AccountErrors.DATE_RANGE_INVALID);
    const cursor = range.page === undefined ? undefined : checkPageToken(range.page);
    const window = transactionWindowOf(consent);
    const from = later(window.from, range.from);
    const to = earlier(window.to, range.to);
    const { credits, debits } = permittedDirections(consent);
    const empty = !credits && !debits || (from && to && from > to);
    const query = {
      from,
      to,
      creditDebit: credits && debits ? undefined : credits ? ('Credit' as const) : ('Debit' as const),
      ...(range.status ? { status: range.status } : {}),
      cursor,
      limit: this.pageSize,
    };
    const what = `transactions:${from?.toISOString() ?? ''}:${to?.toISOString() ?? ''}:${query.creditDebit ?? ''}:${range.status ?? ''}:${cursor ?? ''}:${this.pageSize}`;
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

  /**
   * One transaction of the account (Berlin Group transaction details), as `transactions` would
   * list it: only inside the access scope's window and in a permitted direction. The account must
   * be one the caller resolved under the consent (`resolveAccount`); an id the core does not know
   * on that account — another account's, another PSU's — and one the scope does not let the TPP
   * see are the same TRANSACTION_NOT_FOUND, so ids reveal nothing. Read through the shared read
   * cache, which the account's postings invalidate.
   */
  async transaction(consent: Consent, accountId: string, transactionId: string, asOf?: Freshness): Promise<Exposed<AccountTransaction>> {
    const found = transactionId.length > 0 && transactionId.length <= MAX_ID_LENGTH
      ? await this.cached([accountId], `transaction:${transactionId}`, () => this.options.core.getTransaction(accountId, transactionId), asOf)
      : undefined;
    if (!found || found.accountId !== accountId || !this.inScope(consent, found)) throw new AppError(AccountErrors.TRANSACTION_NOT_FOUND);
    const [exposed] = await this.expose([accountId], this.listOf(found));
    return exposed as Exposed<AccountTransaction>;
  }

  /** Whether the scope lets the TPP see the transaction: booked inside its window, in a permitted direction (`transactions`' query). */
  private inScope(consent: Consent, transaction: AccountTransaction): boolean {
    const { from, to } = transactionWindowOf(consent);
    const { credits, debits } = permittedDirections(consent);
    if ((from && transaction.bookingAt < from) || (to && transaction.bookingAt > to)) return false;
    return transaction.creditDebit === 'Credit' ? credits : debits;
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
