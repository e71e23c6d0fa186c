import type { Money } from '../money.ts';

/**
 * Account information as the bank's system of record holds it: parties, accounts (payment accounts
 * and, where the core has cards, card accounts), balances,
 * transactions (paged with cursors the core mints and only it reads), beneficiaries, direct debits,
 * statements and products. Reads only; every method answers from the core's current state.
 */
export interface AccountInformationSource {
  getParty(partyId: string): Promise<Party | undefined>;
  /** The party's payment accounts (never its card accounts). */
  listAccountsOfParty(partyId: string): Promise<Account[]>;
  /**
   * The party's card accounts: accounts with a `card`, whose transactions are the card's. A core
   * without cards answers none. Balances, transactions and overviews of a card account are read by
   * its id as any account's are.
   */
  listCardAccountsOfParty(partyId: string): Promise<Account[]>;
  getAccount(accountId: string): Promise<Account | undefined>;
  findAccountByIdentifier(scheme: AccountScheme, identification: string): Promise<Account | undefined>;
  listAccountHolders(accountId: string): Promise<Array<{ party: Party; role: HolderRole }>>;
  getBalances(accountId: string): Promise<Balances | undefined>;
  /**
   * Accounts with their holders and balances in one read: what `getAccount`, `listAccountHolders`
   * and `getBalances` answer together, for a reader that wants all three (the account read model,
   * a payment naming its debtor). Accounts the core does not hold are absent from the answer.
   */
  getAccountOverviews(accountIds: readonly string[]): Promise<ReadonlyMap<string, AccountOverview>>;
  /**
   * Transactions of one or more accounts, one page at a time. The first page is asked for without
   * a cursor; later ones with a cursor of an earlier page. Undefined for a cursor this core did not
   * mint for the same query, or one past the last page.
   */
  listTransactions(accountIds: readonly string[], query: TransactionQuery): Promise<TransactionPage | undefined>;
  /**
   * One transaction of one account, by the id `listTransactions` gave it, in any status. Undefined
   * for an id the core does not know on that account: a transaction of another account is absent,
   * as an unknown one is.
   */
  getTransaction(accountId: string, transactionId: string): Promise<AccountTransaction | undefined>;
  listBeneficiaries(accountId: string): Promise<Beneficiary[]>;
  listDirectDebits(accountId: string): Promise<DirectDebit[]>;
  listStatements(accountId: string, query: { from?: Date; to?: Date }): Promise<Statement[]>;
  getStatement(accountId: string, statementId: string): Promise<Statement | undefined>;
  getProduct(accountId: string): Promise<Product | undefined>;
}

export type AccountScheme = 'SortCodeAccountNumber' | 'IBAN';

/** An account as `getAccountOverviews` answers it. */
export interface AccountOverview {
  readonly account: Account;
  readonly holders: ReadonlyArray<{ readonly party: Party; readonly role: HolderRole }>;
  readonly balances: Balances;
}
export type HolderRole = 'Owner' | 'Joint' | 'Delegate';

export interface Party {
  readonly id: string;
  readonly partyNumber: string;
  readonly kind: 'Person' | 'Organisation';
  readonly name: string;
  readonly fullLegalName: string;
  readonly legalStructure: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly mobile: string | null;
  readonly address: { addressLine: string[]; townName: string; postCode: string; country: string } | null;
}

export interface Account {
  readonly id: string;
  readonly holderKind: 'Personal' | 'Business' | 'Internal';
  readonly subType: string;
  readonly currency: string;
  readonly name: string;
  readonly nickname: string | null;
  readonly sortCode: string | null;
  readonly accountNumber: string | null;
  readonly iban: string | null;
  readonly bic: string | null;
  readonly status: 'Enabled' | 'Disabled' | 'Deleted' | 'Pending';
  readonly openedAt: Date;
  readonly productId: string | null;
  /** Set on a card account (`listCardAccountsOfParty`), absent on a payment account. */
  readonly card?: CardDetails;
}

/** The card of a card account. */
export interface CardDetails {
  /** The card number as the bank shows it, most digits masked (e.g. `525412******3241`). */
  readonly maskedPan: string;
  /** What the holder may owe, in the account's currency (minor units); 0 for a card without credit. */
  readonly creditLimitMinor: bigint;
}

export interface Balances {
  readonly accountId: string;
  readonly currency: string;
  /** Sum of booked postings. */
  readonly bookedMinor: bigint;
  /** Booked less pending debits (card authorisations not yet settled). */
  readonly availableMinor: bigint;
  readonly pendingMinor: bigint;
  readonly overdraftLimitMinor: bigint;
  readonly asOf: Date;
}

export interface TransactionQuery {
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly status?: 'Booked' | 'Pending' | undefined;
  readonly creditDebit?: 'Credit' | 'Debit' | undefined;
  /** Newest first (the default, what account holders expect) or oldest first. */
  readonly order?: 'newest-first' | 'oldest-first' | undefined;
  /**
   * Opaque: a cursor of an earlier page of the same query (`TransactionPage.cursors`). A core keeps
   * the listing as the first page saw it, so pages never shift while new transactions are booked.
   */
  readonly cursor?: string | undefined;
  readonly limit: number;
}

export interface TransactionPage {
  readonly items: AccountTransaction[];
  /** Matching transactions of the listing (as the first page saw it). */
  readonly total: number;
  /** This page's place in the listing, from 0. */
  readonly index: number;
  /** Opaque cursors of the other pages of the same listing. */
  readonly cursors: { readonly first: string; readonly previous?: string | undefined; readonly next?: string | undefined; readonly last: string };
  readonly firstBookingAt: Date | undefined;
  readonly lastBookingAt: Date | undefined;
}

/** What a customer sees on their statement for one transaction. */
export interface StatementDetails {
  readonly description: string;
  readonly reference?: string | undefined;
  readonly bankTransactionCode: string;
  readonly bankTransactionSubcode: string;
  readonly merchantName?: string | undefined;
  readonly merchantCategoryCode?: string | undefined;
  readonly counterpartyName?: string | undefined;
  readonly counterpartyScheme?: string | undefined;
  readonly counterpartyIdentification?: string | undefined;
  readonly cardMaskedPan?: string | undefined;
  /** A card transaction: when the card was used (its booking may come days later). */
  readonly transactedAt?: Date | undefined;
  /** A card transaction in another currency than the account's: the amount where the card was used. */
  readonly originalAmount?: Money | undefined;
  /** With `originalAmount`: the rate applied, account currency per unit of the original one, as a decimal. */
  readonly exchangeRate?: string | undefined;
  /** A card transaction: the card acceptor's (merchant's) identification. */
  readonly cardAcceptorId?: string | undefined;
}

export interface AccountTransaction extends StatementDetails {
  readonly id: string;
  readonly accountId: string;
  readonly status: 'Booked' | 'Pending' | 'Rejected';
  readonly creditDebit: 'Credit' | 'Debit';
  readonly amount: Money;
  readonly bookingAt: Date;
  readonly valueAt: Date;
  readonly balanceAfterMinor: bigint | null;
}

/** Whom a beneficiary or an order of an account pays: the creditor's name and the scheme and identification of its account. */
export interface Payee {
  readonly creditorName: string;
  readonly creditorScheme: string;
  readonly creditorIdentification: string;
}

export interface Beneficiary extends Payee {
  readonly id: string;
  readonly accountId: string;
  readonly type: 'Trusted' | 'Ordinary';
  readonly reference: string | null;
}

export interface DirectDebit {
  readonly id: string;
  readonly accountId: string;
  readonly mandateIdentification: string;
  readonly originatorName: string;
  readonly status: 'Active' | 'Inactive';
  readonly frequency: string;
  readonly previousPaymentAt: Date | null;
  readonly previousPayment: Money | null;
}

export interface Statement {
  readonly id: string;
  readonly accountId: string;
  readonly type: 'RegularPeriodic';
  readonly startAt: Date;
  readonly endAt: Date;
  readonly createdAt: Date;
  readonly currency: string;
  readonly openingBalanceMinor: bigint;
  readonly closingBalanceMinor: bigint;
  readonly totalCreditsMinor: bigint;
  readonly totalDebitsMinor: bigint;
  readonly creditCount: number;
  readonly debitCount: number;
}

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly type: 'PersonalCurrentAccount' | 'BusinessCurrentAccount' | 'Savings';
  readonly currency: string;
  readonly details: Record<string, unknown>;
}
