import type { Row } from '../../platform/db/index.ts';
import type { DomesticPayment, PaymentAccount, PaymentAccountScheme, PaymentStatusReason } from './payment-model.ts';

/** The status-reason and debtor columns `payments` and `standing_orders` have in common. */
type PaymentOrderColumns = Pick<Row<'payments'>, 'status_reason_code' | 'status_reason' | 'debtor_scheme' | 'debtor_identification' | 'debtor_name'>;

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

export function toDomesticPayment(row: Row<'payments'>): DomesticPayment {
  return {
    id: row.id,
    kind: row.kind,
    consentId: row.consent_id,
    clientId: row.client_id,
    psuId: row.psu_id,
    status: row.status,
    statusReason: statusReasonOf(row),
    createdAt: row.created_at,
    statusUpdatedAt: row.status_updated_at,
    debtorAccountId: row.debtor_account_id,
    debtor: debtorOf(row),
    creditorAccountId: row.creditor_account_id,
    amount: { amountMinor: row.amount_minor, currency: row.currency.trim() },
    creditor: { name: row.creditor_name, scheme: row.creditor_scheme, identification: row.creditor_identification },
    reference: row.reference,
    request: row.request,
    shareRefundAccount: row.share_refund_account,
    coreRef: row.core_ref,
    executedAt: row.executed_at,
  };
}
