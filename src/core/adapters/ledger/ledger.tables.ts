import type { Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../../platform/db/column-types.ts';

/*
 * The built-in ledger's tables (its migrations are in ./migrations): the core bank the ledger
 * adapter implements the core-banking ports over. Only the adapter and the sandbox generator,
 * which builds the sandbox bank in them, use them.
 */

export interface BankPartiesTable {
  id: string;
  party_number: string;
  party_kind: 'Person' | 'Organisation';
  name: string;
  full_legal_name: string;
  legal_structure: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  address: Json<PostalAddress | null>;
  created_at: Timestamp;
}

export interface PostalAddress {
  addressLine: string[];
  townName: string;
  postCode: string;
  country: string;
}

export interface BankProductsTable {
  id: string;
  name: string;
  product_type: 'PersonalCurrentAccount' | 'BusinessCurrentAccount' | 'Savings';
  currency: string;
  details: Json<Record<string, unknown>>;
}

export type AccountHolderKind = 'Personal' | 'Business' | 'Internal';
export type AccountStatus = 'Enabled' | 'Disabled' | 'Deleted' | 'Pending';

export interface BankAccountsTable {
  id: string;
  holder_kind: AccountHolderKind;
  sub_type: 'CurrentAccount' | 'Savings' | 'CreditCard' | 'Internal';
  currency: string;
  name: string;
  nickname: string | null;
  sort_code: string | null;
  account_number: string | null;
  iban: string | null;
  bic: string | null;
  product_id: string | null;
  status: AccountStatus;
  opened_at: Timestamp;
  overdraft_limit_minor: bigint;
  /** Internal (general-ledger) accounts may go negative; customer accounts may not pass their overdraft. */
  allow_negative: boolean;
  balance_minor: Generated<bigint>;
  pending_minor: Generated<bigint>;
  /** A card account's card (0056); its credit limit is `overdraft_limit_minor`. Null on payment accounts. */
  card_masked_pan: Generated<string | null>;
}

/**
 * Every column of `bank_accounts`, named one by one (the type checks that none is missing): for the
 * account reads kept prepared (decision 0009f), which must name their result columns.
 */
export const BANK_ACCOUNT_COLUMNS = Object.keys({
  id: true,
  holder_kind: true,
  sub_type: true,
  currency: true,
  name: true,
  nickname: true,
  sort_code: true,
  account_number: true,
  iban: true,
  bic: true,
  product_id: true,
  status: true,
  opened_at: true,
  overdraft_limit_minor: true,
  allow_negative: true,
  balance_minor: true,
  pending_minor: true,
  card_masked_pan: true,
} satisfies Record<keyof BankAccountsTable, true>) as ReadonlyArray<keyof BankAccountsTable>;

export interface BankAccountHoldersTable {
  account_id: string;
  party_id: string;
  role: 'Owner' | 'Joint' | 'Delegate';
}

export interface BankJournalEntriesTable {
  id: string;
  seq: Generated<bigint>;
  kind: string;
  description: string;
  /** Makes a posting idempotent: one entry per external reference (e.g. a payment id). */
  external_ref: string | null;
  booked_at: Timestamp;
  value_at: Timestamp;
  created_at: Generated<Date>;
}

export interface BankPostingsTable {
  id: Generated<bigint>;
  entry_id: string;
  account_id: string;
  currency: string;
  /** Signed minor units: positive raises the account balance, negative lowers it. */
  amount_minor: bigint;
}

export type CreditDebit = 'Credit' | 'Debit';
export type TransactionStatus = 'Booked' | 'Pending' | 'Rejected';

export interface BankTransactionsTable {
  id: string;
  account_id: string;
  entry_id: string | null;
  status: TransactionStatus;
  credit_debit: CreditDebit;
  amount_minor: bigint;
  currency: string;
  booking_at: Timestamp;
  value_at: Timestamp;
  description: string;
  reference: string | null;
  bank_transaction_code: string;
  bank_transaction_subcode: string;
  merchant_name: string | null;
  merchant_category_code: string | null;
  counterparty_name: string | null;
  counterparty_scheme: string | null;
  counterparty_identification: string | null;
  balance_after_minor: bigint | null;
  card_masked_pan: string | null;
  seq: Generated<bigint>;
  /** Card transactions (0056): when the card was used, the amount where it was used with the rate applied, the acceptor. */
  transacted_at: Generated<Date | null>;
  original_amount_minor: Generated<bigint | null>;
  original_currency: Generated<string | null>;
  exchange_rate: Generated<string | null>;
  card_acceptor_id: Generated<string | null>;
}

export interface BankBeneficiariesTable {
  id: string;
  account_id: string;
  beneficiary_type: 'Trusted' | 'Ordinary';
  reference: string | null;
  creditor_name: string;
  creditor_scheme: string;
  creditor_identification: string;
  created_at: Timestamp;
}

export interface BankStandingOrdersTable {
  id: string;
  account_id: string;
  frequency: string;
  reference: string | null;
  first_payment_at: Timestamp;
  next_payment_at: NullableTimestamp;
  last_payment_at: NullableTimestamp;
  final_payment_at: NullableTimestamp;
  amount_minor: bigint;
  currency: string;
  creditor_name: string;
  creditor_scheme: string;
  creditor_identification: string;
  status: 'Active' | 'Inactive';
  /** Set where the order's first, next, last or final payment is not `amount_minor` (0019). */
  first_amount_minor: Generated<bigint | null>;
  next_amount_minor: Generated<bigint | null>;
  last_amount_minor: Generated<bigint | null>;
  final_amount_minor: Generated<bigint | null>;
}

export interface BankDirectDebitsTable {
  id: string;
  account_id: string;
  mandate_identification: string;
  originator_name: string;
  status: 'Active' | 'Inactive';
  frequency: string;
  previous_payment_at: NullableTimestamp;
  previous_payment_minor: bigint | null;
  currency: string;
}

export interface BankScheduledPaymentsTable {
  id: string;
  account_id: string;
  scheduled_at: Timestamp;
  scheduled_type: 'Arrival' | 'Execution';
  reference: string | null;
  amount_minor: bigint;
  currency: string;
  creditor_name: string;
  creditor_scheme: string;
  creditor_identification: string;
  status: 'Scheduled' | 'Executed' | 'Cancelled';
}

export interface BankStatementsTable {
  id: string;
  account_id: string;
  statement_type: 'RegularPeriodic';
  start_at: Timestamp;
  end_at: Timestamp;
  created_at: Timestamp;
  currency: string;
  opening_balance_minor: bigint;
  closing_balance_minor: bigint;
  total_credits_minor: bigint;
  total_debits_minor: bigint;
  credit_count: number;
  debit_count: number;
}

/** The tables the ledger adapter owns. */
export interface LedgerTables {
  bank_parties: BankPartiesTable;
  bank_products: BankProductsTable;
  bank_accounts: BankAccountsTable;
  bank_account_holders: BankAccountHoldersTable;
  bank_journal_entries: BankJournalEntriesTable;
  bank_postings: BankPostingsTable;
  bank_transactions: BankTransactionsTable;
  bank_beneficiaries: BankBeneficiariesTable;
  bank_standing_orders: BankStandingOrdersTable;
  bank_direct_debits: BankDirectDebitsTable;
  bank_scheduled_payments: BankScheduledPaymentsTable;
  bank_statements: BankStatementsTable;
}
