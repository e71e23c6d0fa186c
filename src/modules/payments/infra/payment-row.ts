import type { Row } from '../../../platform/db/index.ts';
import { paymentOrderTypeOf } from '../payment-kind-column.ts';
import type { DomesticPayment, PaymentAccount, PaymentAccountScheme, PaymentOrderFields, PaymentStatusReason } from '../payment-model.ts';

/** The columns `payments` and `standing_orders` have in common. */
type PaymentOrderColumns = Omit<Row<'payments'>, 'kind' | 'status' | 'amount_minor' | 'currency' | 'core_ref' | 'sent_to_core_at' | 'executed_at'>;

/** The reason of the row's status, if it has one; its description defaults to the code. */
export function statusReasonOf(row: PaymentOrderColumns): PaymentStatusReason | null {
  return row.status_reason_code ? { code: row.status_reason_code, description: row.status_reason ?? row.status_reason_code } : null;
}

/** The account the PSU paid from, once known. */
export function debtorOf(row: PaymentOrderColumns): PaymentAccount | null {
  return row.debtor_scheme && row.debtor_identification
    ? { scheme: row.debtor_scheme as PaymentAccountScheme, identification: row.debtor_identification, name: row.debtor_name }
    : null;
}

/** What a payment's or a standing order's row holds in common, in the neutral model. */
export function paymentOrderFieldsOf(row: PaymentOrderColumns): PaymentOrderFields {
  return {
    id: row.id,
    consentId: row.consent_id,
    clientId: row.client_id,
    psuId: row.psu_id,
    statusReason: statusReasonOf(row),
    createdAt: row.created_at,
    statusUpdatedAt: row.status_updated_at,
    debtorAccountId: row.debtor_account_id,
    debtor: debtorOf(row),
    creditorAccountId: row.creditor_account_id,
    creditor: { name: row.creditor_name, scheme: row.creditor_scheme, identification: row.creditor_identification },
    reference: row.reference,
    shareRefundAccount: row.share_refund_account,
  };
}

export function toDomesticPayment(row: Row<'payments'>): DomesticPayment {
  return {
    ...paymentOrderFieldsOf(row),
    ...paymentOrderTypeOf(row.kind),
    status: row.status,
    amount: { amountMinor: row.amount_minor, currency: row.currency.trim() },
    coreRef: row.core_ref,
    executedAt: row.executed_at,
  };
}
