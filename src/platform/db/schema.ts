import type { Generated, Insertable, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.ts';
// Tables that moved to their module's (or the authorisation server's) infra/ (src/app/database.ts assembles the whole schema);
// re-exported here while the rest of the schema moves too.
import type { AccountReadModelTable, AisAccountRefsTable } from '../../modules/accounts/infra/accounts.tables.ts';
import type { AccessScopeColumn, ConsentsTable, PaymentSummaryColumn } from '../../modules/consents/infra/consents.tables.ts';
import type { AuthCookieKeysTable, AuthSigningKeysTable, OidcPayloadsTable, SigningKeyAlg } from '../../auth/infra/auth.tables.ts';
import type {
  DirectoryCaTable,
  DirectoryCertificatesTable,
  DirectoryOrganisationsTable,
  DirectorySoftwareStatementsTable,
  DirectoryTables,
} from '../../modules/directory/infra/directory.tables.ts';
import type { IdempotencyKeysTable } from '../../modules/idempotency/infra/idempotency.tables.ts';
import type { EventNotificationsTable, EventSubscriptionsTable } from '../../modules/events/infra/events.tables.ts';
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
// The built-in ledger's tables, declared by its adapter.
import type { LedgerTables, BankPartiesTable, PostalAddress, BankProductsTable, AccountHolderKind, AccountStatus, BankAccountsTable, BankAccountHoldersTable, BankJournalEntriesTable, BankPostingsTable, CreditDebit, TransactionStatus, BankTransactionsTable, BankBeneficiariesTable, BankStandingOrdersTable, BankDirectDebitsTable, BankScheduledPaymentsTable, BankStatementsTable } from '../../core/adapters/ledger/ledger.tables.ts';
import type { Xs2aWireBodiesTable } from '../../standards/berlin-group/v1.3/_wire/infra/xs2a-wire.tables.ts';
import type { ScaAuthorisationsTable } from '../../modules/psu-authorisation/infra/psu-authorisation.tables.ts';
import type { SigningBasketMembersTable, SigningBasketsTable } from '../../modules/signing-baskets/infra/signing-baskets.tables.ts';
import type { InsightsApiHourlyTable, InsightsEndpointMinutesTable, InsightsLatencyHourlyTable, InsightsPlannedDowntimeTable, InsightsServingMinutesTable } from '../../modules/insights/infra/insights.tables.ts';
import type { AuditCheckpointsTable, AuditPartitionsTable, AuditVerificationDaysTable, AuditVerificationsTable, AuditRecordsTable } from '../../modules/audit/infra/audit.tables.ts';
import type { RiskAlertsTable, RiskModelsTable, RiskSubjectsTable, RiskWatermarkTable } from '../../modules/risk/infra/risk.tables.ts';
import type { OperatorPasskeysTable, OperatorsTable, SandboxOperatorsTable } from '../../modules/operators/infra/operators.tables.ts';
// The OB v4.0 facade's own table (the request bodies it echoes).
import type { ObWireBodiesTable } from '../../standards/uk-obie/v4.0/_wire/infra/ob-wire.tables.ts';

export type {
  BankPartiesTable,
  PostalAddress,
  BankProductsTable,
  AccountHolderKind,
  AccountStatus,
  BankAccountsTable,
  BankAccountHoldersTable,
  BankJournalEntriesTable,
  BankPostingsTable,
  CreditDebit,
  TransactionStatus,
  BankTransactionsTable,
  BankBeneficiariesTable,
  BankStandingOrdersTable,
  BankDirectDebitsTable,
  BankScheduledPaymentsTable,
  BankStatementsTable,
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
  EventNotificationsTable,
  EventSubscriptionsTable,
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
  event_type: string;
  event_version: number;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  /** The OAuth client id of the TPP the event concerns; null for the bank's own events. */
  tpp_client_id: string | null;
  /** The interaction id of the call the event comes from, or the aggregate's last call's (migration 0038). */
  correlation_id: Generated<string | null>;
  /** The id of the transaction that wrote the event (`pg_current_xact_id()`), which the relay's snapshot windows are made of (migration 0060). */
  xid: Generated<string>;
}

/** The outbox relay's place (decision 0011e): one row, leased by the relay publishing. */
export interface OutboxRelayPositionsTable {
  name: string;
  /** Every event of a transaction visible in this snapshot (`pg_snapshot` text) is published. */
  done: string;
  /** The window being published, or null between windows. */
  target: string | null;
  after_seq: Generated<bigint>;
  holder: string | null;
  held_until: NullableTimestamp;
}

/** Each aggregate's latest event version (src/platform/events). */
export interface EventStreamsTable {
  aggregate_type: string;
  aggregate_id: string;
  version: number;
  /** The interaction id of the last call that recorded an event of the aggregate. */
  correlation_id: Generated<string | null>;
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

/** A data-encryption key of envelope encryption, sealed under the key-encryption key (migration 0042). */
export interface DataEncryptionKeysTable {
  id: string;
  /** What it encrypts, e.g. `personal-data`. */
  purpose: string;
  sealed: Json<unknown>;
  status: 'active' | 'retired';
  created_at: Timestamp;
  retired_at: NullableTimestamp;
}

/** Every table; a module's own are declared in its `infra/*.tables.ts`, the ledger's in its adapter (the payments module's, the directory's and the ledger's in one interface each). */
export interface DatabaseSchema extends PaymentsTables, LedgerTables, DirectoryTables {
  consents: ConsentsTable;
  ais_account_refs: AisAccountRefsTable;
  account_read_model: AccountReadModelTable;
  auth_cookie_keys: AuthCookieKeysTable;
  psu_passkeys: PsuPasskeysTable;
  outbox_events: OutboxEventsTable;
  outbox_relay_positions: OutboxRelayPositionsTable;
  event_streams: EventStreamsTable;
  processed_events: ProcessedEventsTable;
  scheduled_jobs: ScheduledJobsTable;
  data_encryption_keys: DataEncryptionKeysTable;
  psu_users: PsuUsersTable;
  sandbox_psus: SandboxPsusTable;
  sandbox_seed_runs: SandboxSeedRunsTable;
  oidc_payloads: OidcPayloadsTable;
  auth_signing_keys: AuthSigningKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  ob_wire_bodies: ObWireBodiesTable;
  sca_authorisations: ScaAuthorisationsTable;
  signing_baskets: SigningBasketsTable;
  signing_basket_members: SigningBasketMembersTable;
  xs2a_wire_bodies: Xs2aWireBodiesTable;
  audit_partitions: AuditPartitionsTable;
  audit_records: AuditRecordsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_verifications: AuditVerificationsTable;
  audit_verification_days: AuditVerificationDaysTable;
  event_subscriptions: EventSubscriptionsTable;
  event_notifications: EventNotificationsTable;
  insights_api_hourly: InsightsApiHourlyTable;
  insights_latency_hourly: InsightsLatencyHourlyTable;
  insights_endpoint_minutes: InsightsEndpointMinutesTable;
  insights_serving_minutes: InsightsServingMinutesTable;
  insights_planned_downtime: InsightsPlannedDowntimeTable;
  operators: OperatorsTable;
  sandbox_operators: SandboxOperatorsTable;
  operator_passkeys: OperatorPasskeysTable;
  risk_watermark: RiskWatermarkTable;
  risk_subjects: RiskSubjectsTable;
  risk_models: RiskModelsTable;
  risk_alerts: RiskAlertsTable;
}

export type Row<T extends keyof DatabaseSchema> = Selectable<DatabaseSchema[T]>;
export type NewRow<T extends keyof DatabaseSchema> = Insertable<DatabaseSchema[T]>;
