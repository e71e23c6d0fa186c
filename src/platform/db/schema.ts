import type { Generated, Insertable, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.ts';
// Tables that moved to their module's (or the authorisation server's) infra/ (src/app/database.ts assembles the whole schema);
// re-exported here while the rest of the schema moves too.
import type { AccountReadModelTable, AisAccountRefsTable } from '../../modules/accounts/infra/accounts.tables.ts';
import type { AccessScopeColumn, ConsentsTable, PaymentSummaryColumn } from '../../modules/consents/infra/consents.tables.ts';
import type { AuthCookieKeysTable, AuthSigningKeysTable, OidcPayloadsTable, SigningKeyAlg } from '../../auth/infra/auth.tables.ts';
import type { DirectoryCaTable, DirectoryCertificatesTable, DirectoryOrganisationsTable, DirectorySoftwareStatementsTable } from '../../modules/directory/infra/directory.tables.ts';
import type { IdempotencyKeysTable } from '../../modules/idempotency/infra/idempotency.tables.ts';
import type { PsuPasskeysTable, PsuUsersTable } from '../../modules/psu-identity/infra/psu-identity.tables.ts';
import type { SandboxPsusTable, SandboxSeedRunsTable } from '../../modules/sandbox/infra/sandbox.tables.ts';
import type {
  FilePaymentItemsTable,
  FilePaymentsTable,
  PaymentExchangeRatesTable,
  PaymentFilesTable,
  PaymentStatus,
  PaymentsTable,
  PaymentsTables,
  StandingOrderInstalmentsTable,
  StandingOrdersTable,
  StandingOrderStatus,
} from '../../modules/payments/infra/payments.tables.ts';
// The OB v4.0 facade's own table (the request bodies it echoes).
import type { ObWireBodiesTable } from '../../standards/uk-obie/v4.0/_wire/infra/ob-wire.tables.ts';

export type {
  AccessScopeColumn,
  AccountReadModelTable,
  AisAccountRefsTable,
  AuthCookieKeysTable,
  AuthSigningKeysTable,
  ConsentsTable,
  DirectoryCaTable,
  DirectoryCertificatesTable,
  DirectoryOrganisationsTable,
  DirectorySoftwareStatementsTable,
  FilePaymentItemsTable,
  FilePaymentsTable,
  IdempotencyKeysTable,
  OidcPayloadsTable,
  ObWireBodiesTable,
  PaymentExchangeRatesTable,
  PaymentFilesTable,
  PaymentStatus,
  PaymentSummaryColumn,
  PaymentsTable,
  PsuPasskeysTable,
  PsuUsersTable,
  SandboxPsusTable,
  SandboxSeedRunsTable,
  SigningKeyAlg,
  StandingOrderInstalmentsTable,
  StandingOrdersTable,
  StandingOrderStatus,
};

// ---- platform ---------------------------------------------------------------------------

export interface OutboxEventsTable {
  id: string;
  seq: Generated<bigint>;
  subject: string;
  payload: Json<unknown>;
  occurred_at: Timestamp;
  published_at: NullableTimestamp;
  attempts: Generated<number>;
  last_error: string | null;
  event_type: string;
  event_version: number;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  /** The OAuth client id of the TPP the event concerns; null for the bank's own events. */
  tpp_client_id: string | null;
  /** A relay's lease on the row while it publishes it. */
  claimed_until: NullableTimestamp;
}

/** Each aggregate's latest event version (src/platform/events). */
export interface EventStreamsTable {
  aggregate_type: string;
  aggregate_id: string;
  version: number;
}

/** The consumers' inbox: events a consumer has applied. */
export interface ProcessedEventsTable {
  consumer: string;
  event_id: string;
  processed_at: Generated<Date>;
}

/** A durable job of src/platform/scheduler; `failed` is the dead state after the last attempt. */
export type ScheduledJobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface ScheduledJobsTable {
  id: string;
  kind: string;
  /** Unique for ever, e.g. `standing-order:{id}:{instalmentNumber}`: scheduling it again is a no-op. */
  dedupe_key: string;
  run_at: Timestamp;
  payload: Json<unknown>;
  status: Generated<ScheduledJobStatus>;
  /** Claims so far; also the fencing token of the current claim. */
  attempts: Generated<number>;
  max_attempts: number;
  locked_until: NullableTimestamp;
  locked_by: string | null;
  last_error: string | null;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
}

// ---- built-in core bank ------------------------------------------------------------------

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
  sub_type: 'CurrentAccount' | 'Savings' | 'Internal';
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
}

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

/** Every table; a module's own are declared in its `infra/*.tables.ts` (the payments module's in one interface). */
export interface DatabaseSchema extends PaymentsTables {
  consents: ConsentsTable;
  ais_account_refs: AisAccountRefsTable;
  account_read_model: AccountReadModelTable;
  auth_cookie_keys: AuthCookieKeysTable;
  psu_passkeys: PsuPasskeysTable;
  outbox_events: OutboxEventsTable;
  event_streams: EventStreamsTable;
  processed_events: ProcessedEventsTable;
  scheduled_jobs: ScheduledJobsTable;
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
  psu_users: PsuUsersTable;
  sandbox_psus: SandboxPsusTable;
  sandbox_seed_runs: SandboxSeedRunsTable;
  directory_organisations: DirectoryOrganisationsTable;
  directory_software_statements: DirectorySoftwareStatementsTable;
  directory_certificates: DirectoryCertificatesTable;
  directory_ca: DirectoryCaTable;
  oidc_payloads: OidcPayloadsTable;
  auth_signing_keys: AuthSigningKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  ob_wire_bodies: ObWireBodiesTable;
}

export type Row<T extends keyof DatabaseSchema> = Selectable<DatabaseSchema[T]>;
export type NewRow<T extends keyof DatabaseSchema> = Insertable<DatabaseSchema[T]>;
