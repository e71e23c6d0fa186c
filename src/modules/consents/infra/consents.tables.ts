import type { ColumnType } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../../platform/db/column-types.ts';

/** Consents of every purpose (migration 0006; neutral statuses 0028, access scopes 0029, status reasons 0055), one row each. */
export interface ConsentsTable {
  id: string;
  kind: string;
  client_id: string;
  status: string;
  created_at: Timestamp;
  status_updated_at: Timestamp;
  /** Account access: its scope (the window is `transaction_from`/`transaction_to`); null for other purposes. */
  access: Json<AccessScopeColumn | null>;
  expires_at: NullableTimestamp;
  transaction_from: NullableTimestamp;
  transaction_to: NullableTimestamp;
  psu_id: string | null;
  party_id: string | null;
  account_ids: Json<string[]>;
  authorised_at: NullableTimestamp;
  revoked_by: 'TPP' | 'PSU' | null;
  grant_id: string | null;
  payment: Json<PaymentSummaryColumn | null>;
  sca_binding: string | null;
  /** Why the consent reached its status, where that was recorded (`ConsentStatusReason`). */
  status_reason: ColumnType<{ code: string; description: string } | null, string | undefined, string>;
}

/**
 * Every column of `consents`, named one by one (the type checks that none is missing): what the
 * repository reads, so that its hot statements can be kept prepared (decision 0009f).
 */
export const CONSENT_COLUMNS = Object.keys({
  id: true,
  kind: true,
  client_id: true,
  status: true,
  created_at: true,
  status_updated_at: true,
  access: true,
  expires_at: true,
  transaction_from: true,
  transaction_to: true,
  psu_id: true,
  party_id: true,
  account_ids: true,
  authorised_at: true,
  revoked_by: true,
  grant_id: true,
  payment: true,
  sca_binding: true,
  status_reason: true,
} satisfies Record<keyof ConsentsTable, true>) as ReadonlyArray<keyof ConsentsTable>;

/** Neutral summary of what a payment consent pays, as shown to the PSU and bound by SCA. */
export interface PaymentSummaryColumn {
  amountMinor: string;
  currency: string;
  creditorName: string;
  creditorScheme: string;
  creditorIdentification: string;
  reference: string | null;
  debtorAccountId: string | null;
  /** VRP consents: validity (ISO date-times) and periodic limits (minor units as decimal strings). */
  controls?: { validFrom: string | null; validTo: string | null; periodicLimits: Array<{ periodType: string; alignment: string; amountMinor: string }> };
  /** File payment consents: how many payments the file holds. */
  file?: { numberOfTransactions: number };
  /** Scheduled payments and standing orders: dates as ISO date-times. */
  schedule?: { firstPaymentAt: string; frequency?: string; numberOfPayments?: number | null; finalPaymentAt?: string | null; businessDayRule?: 'following' | 'preceding' };
  /** International payments: the currency the creditor is paid in. */
  currencyOfTransfer?: string;
}

/**
 * Neutral scope of an account-access consent (`AccessScope`): data cluster →
 * `basic` | `detail`, the transaction directions, and which accounts (`psu-selects`, `all-accounts`,
 * or `{ named: { <cluster>: [{ scheme, identification }] } }`).
 */
export interface AccessScopeColumn {
  clusters: Record<string, 'basic' | 'detail'>;
  directions: { credits: boolean; debits: boolean };
  accounts: 'psu-selects' | 'all-accounts' | { named: Record<string, Array<{ scheme: string; identification: string }>> };
  /** Absent: no daily limit (`AccessScope.unattendedPerDay`). */
  unattendedPerDay?: number;
  /** Absent: payment accounts only (`AccessScope.accountKinds`). */
  accountKinds?: Array<'payment' | 'card'>;
}

/** The tables the consents module owns. */
export interface ConsentsTables {
  consents: ConsentsTable;
}
