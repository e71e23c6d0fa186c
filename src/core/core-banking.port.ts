import type { Money } from './money.ts';
import type { StatementDetails } from './ledger/post-entry.ts';

/**
 * What Portico needs from the bank's system of record (DESIGN.md §1, "The core-banking port").
 * The built-in ledger implements it; a bank replaces it with an adapter to its own core.
 */
export interface CoreBanking {
  getParty(partyId: string): Promise<Party | undefined>;
  listAccountsOfParty(partyId: string): Promise<Account[]>;
  getAccount(accountId: string): Promise<Account | undefined>;
  findAccountByIdentifier(scheme: AccountScheme, identification: string): Promise<Account | undefined>;
  listAccountHolders(accountId: string): Promise<Array<{ party: Party; role: HolderRole }>>;
  getBalances(accountId: string): Promise<Balances | undefined>;
  /** Transactions of one or more accounts, one page at a time (offset pages within a snapshot). */
  listTransactions(accountIds: readonly string[], query: TransactionQuery): Promise<TransactionPage>;
  listBeneficiaries(accountId: string): Promise<Beneficiary[]>;
  listStandingOrders(accountId: string): Promise<StandingOrder[]>;
  listDirectDebits(accountId: string): Promise<DirectDebit[]>;
  listScheduledPayments(accountId: string): Promise<ScheduledPayment[]>;
  listStatements(accountId: string, query: { from?: Date; to?: Date }): Promise<Statement[]>;
  getStatement(accountId: string, statementId: string): Promise<Statement | undefined>;
  getProduct(accountId: string): Promise<Product | undefined>;
  /** Whether the account could pay `amount` now (available balance incl. overdraft). */
  checkFunds(accountId: string, amount: Money): Promise<boolean>;
  /** Moves money between two accounts of the bank; idempotent by `externalRef`. */
  transfer(request: TransferRequest): Promise<TransferResult>;
}

export type AccountScheme = 'SortCodeAccountNumber' | 'IBAN';
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
   * Opaque snapshot from an earlier page of the same query: transactions recorded after it are
   * left out, so a page never shifts under a caller paging through while new ones are booked.
   */
  readonly snapshot?: string | undefined;
  readonly offset: number;
  readonly limit: number;
}

export interface TransactionPage {
  readonly items: AccountTransaction[];
  /** Matching transactions within the snapshot. */
  readonly total: number;
  /** Pass back with later pages of the same query. */
  readonly snapshot: string;
  readonly firstBookingAt: Date | undefined;
  readonly lastBookingAt: Date | undefined;
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

export interface Beneficiary {
  readonly id: string;
  readonly accountId: string;
  readonly type: 'Trusted' | 'Ordinary';
  readonly reference: string | null;
  readonly creditorName: string;
  readonly creditorScheme: string;
  readonly creditorIdentification: string;
}

export interface StandingOrder {
  readonly id: string;
  readonly accountId: string;
  readonly frequency: string;
  readonly reference: string | null;
  readonly firstPaymentAt: Date;
  readonly nextPaymentAt: Date | null;
  readonly lastPaymentAt: Date | null;
  readonly finalPaymentAt: Date | null;
  readonly amount: Money;
  readonly creditorName: string;
  readonly creditorScheme: string;
  readonly creditorIdentification: string;
  readonly status: 'Active' | 'Inactive';
  /** Set where that payment is not `amount` (an order whose first, recurring and final amounts differ). */
  readonly firstAmount?: Money | undefined;
  readonly nextAmount?: Money | undefined;
  readonly lastAmount?: Money | undefined;
  readonly finalAmount?: Money | undefined;
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

export interface ScheduledPayment {
  readonly id: string;
  readonly accountId: string;
  readonly scheduledAt: Date;
  readonly scheduledType: 'Arrival' | 'Execution';
  readonly reference: string | null;
  readonly amount: Money;
  readonly creditorName: string;
  readonly creditorScheme: string;
  readonly creditorIdentification: string;
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
