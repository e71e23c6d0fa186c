import type { Row } from '../../../platform/db/index.ts';
import { paymentOrderTypeOf } from '../payment-kind-column.ts';
import { paymentOrderFieldsOf } from './payment-row.ts';
import type { DomesticStandingOrder } from '../standing-order-model.ts';

export function toDomesticStandingOrder(row: Row<'standing_orders'>): DomesticStandingOrder {
  return {
    ...paymentOrderFieldsOf(row),
    reach: paymentOrderTypeOf(row.kind).reach,
    status: row.status,
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
      businessDayRule: row.business_day_rule,
    },
    debitCurrency: row.debit_currency?.trim() ?? null,
  };
}
