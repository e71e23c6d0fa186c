import type { Row } from '../../platform/db/index.ts';
import { debtorOf, statusReasonOf } from './payment-row.ts';
import type { DomesticStandingOrder } from './standing-order-model.ts';

export function toDomesticStandingOrder(row: Row<'standing_orders'>): DomesticStandingOrder {
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
    creditor: { name: row.creditor_name, scheme: row.creditor_scheme, identification: row.creditor_identification },
    reference: row.reference,
    schedule: {
      currency: row.currency.trim(),
      firstAmountMinor: BigInt(row.first_amount_minor),
      recurringAmountMinor: row.recurring_amount_minor === null ? null : BigInt(row.recurring_amount_minor),
      finalAmountMinor: row.final_amount_minor === null ? null : BigInt(row.final_amount_minor),
      firstPaymentAt: row.first_payment_at,
      recurringPaymentAt: row.recurring_payment_at,
      finalPaymentAt: row.final_payment_at,
      numberOfPayments: row.number_of_payments,
      frequency: row.frequency,
    },
    debitCurrency: row.debit_currency?.trim() ?? null,
    request: row.request,
    shareRefundAccount: row.share_refund_account,
  };
}
