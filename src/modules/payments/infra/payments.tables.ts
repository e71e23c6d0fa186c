import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../../platform/db/column-types.ts';
import type { PaymentStatus, StandingOrderStatus } from '../payment-status.ts';

export type { PaymentStatus, StandingOrderStatus };

/** Exchange rates of international payments: a consent's agreed terms, a payment's applied rate. */
export interface PaymentExchangeRatesTable {
  /** The consent's or the payment's id. */
  owner_id: string;
  /** `ExchangeRateTerms` of src/core/fx as JSON (`expiresAt` ISO 8601). */
  terms: Json<Record<string, unknown>>;
}

/** The columns of `payments` and `standing_orders` (migrations 0012 and 0015) but their status. */
interface PaymentOrderColumns {
  consent_id: string;
  client_id: string;
  psu_id: string;
  /** ISO 20022 ExternalStatusReason1Code of a rejection (e.g. AM04 insufficient funds). */
  status_reason_code: string | null;
  status_reason: string | null;
  created_at: Timestamp;
  status_updated_at: Timestamp;
  debtor_account_id: string;
  /** How the debtor account is identified to the TPP (neutral scheme, e.g. `SortCodeAccountNumber`). */
  debtor_scheme: string | null;
  debtor_identification: string | null;
  debtor_name: string | null;
  /** The bank's own account the creditor identification names; null when the payment leaves the bank (clearing). */
  creditor_account_id: string | null;
  creditor_name: string;
  creditor_scheme: string;
  creditor_identification: string;
  reference: string | null;
  /** The TPP asked to be told the refund account (the debtor's) with the payment (OB ReadRefundAccount). */
  share_refund_account: Generated<boolean>;
}

/** Payments submitted under payment consents. */
export interface PaymentsTable extends PaymentOrderColumns {
  /** The payment's public id (OB DomesticPaymentId). */
  id: string;
  /** The payment's kind: a single domestic payment, or one of many payments under a domestic VRP consent. */
  kind: 'domestic-payment' | 'domestic-vrp' | 'domestic-scheduled-payment' | 'domestic-standing-order' | 'international-payment' | 'international-scheduled-payment' | 'international-standing-order' | 'file-payment';
  status: PaymentStatus;
  amount_minor: bigint;
  currency: string;
  /** The core's reference of the booked payment (PaymentExecutor.submit). */
  core_ref: string | null;
  /** When the payment was handed to the core (the saga's SentToCore). */
  sent_to_core_at: NullableTimestamp;
  executed_at: NullableTimestamp;
}


/** Standing orders submitted under standing-order consents. */
export interface StandingOrdersTable extends PaymentOrderColumns {
  /** The order's public id (OB DomesticStandingOrderId). */
  id: string;
  status: StandingOrderStatus;
  currency: string;
  first_amount_minor: bigint;
  recurring_amount_minor: bigint | null;
  final_amount_minor: bigint | null;
  first_payment_at: Timestamp;
  recurring_payment_at: NullableTimestamp;
  final_payment_at: NullableTimestamp;
  number_of_payments: number | null;
  /** The frequency as the standard named it (OB v4.0 `Frequency_1` or `OBFrequency6Code`). */
  frequency: string;
  /** A date that is not a business day is paid on the next (`following`) or previous (`preceding`) one; null: on the date (migration 0059). */
  business_day_rule: Generated<'following' | 'preceding' | null>;
  /** A domestic order, or an international one whose amounts are in the currency of transfer. */
  kind: Generated<'domestic-standing-order' | 'international-standing-order'>;
  /** International orders: the debtor account's currency, each instalment converted into it when it runs. */
  debit_currency: string | null;
}

/** Each executed instalment of a standing order: its payment (a row of `payments`). */
export interface StandingOrderInstalmentsTable {
  standing_order_id: string;
  instalment_number: number;
  payment_id: string;
  due_at: Timestamp;
}

/** The file of a file payment consent: the terms declared at staging, then the file itself. */
export interface PaymentFilesTable {
  consent_id: string;
  /** The standard's file type (OB `FileType`). */
  file_type: string;
  /** The declared base64 SHA-256 of the file (OB `FileHash`). */
  file_hash: string;
  file_reference: string | null;
  number_of_transactions: number | null;
  /** The declared total, a decimal string (OB `ControlSum`). */
  control_sum: string | null;
  requested_execution_at: NullableTimestamp;
  /** The debtor account the TPP named, if any. */
  debtor_account_id: string | null;
  content: Uint8Array | null;
  content_type: string | null;
  /** The file's payments in neutral terms (`PaymentFileEntry[]`, minor units as strings), once uploaded. */
  entries: ColumnType<Array<Record<string, unknown>> | null, string | null, string | null>;
  uploaded_at: NullableTimestamp;
}

/** File payments submitted under file payment consents; each payment of the file is a row of `payments`. */
export interface FilePaymentsTable {
  /** The file payment's public id (OB FilePaymentId). */
  id: string;
  consent_id: string;
  client_id: string;
  psu_id: string;
  created_at: Timestamp;
}

/** The payments of a file payment, in the order of the file. */
export interface FilePaymentItemsTable {
  file_payment_id: string;
  position: number;
  payment_id: string;
}

/** The tables the payments module owns (migrations 0012, 0014-0018). */
export interface PaymentsTables {
  payments: PaymentsTable;
  standing_orders: StandingOrdersTable;
  standing_order_instalments: StandingOrderInstalmentsTable;
  payment_exchange_rates: PaymentExchangeRatesTable;
  payment_files: PaymentFilesTable;
  file_payments: FilePaymentsTable;
  file_payment_items: FilePaymentItemsTable;
}
