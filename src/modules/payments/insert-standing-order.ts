import type { Transaction } from 'kysely';
import { parseAmount } from '../../core/index.ts';
import type { DatabaseSchema } from '../../platform/db/index.ts';
import { scheduleJob } from '../../platform/scheduler/index.ts';
import { standingOrderInstalmentJob } from './execute-standing-order-instalment.ts';
import { recordStandingOrderProgress } from './record-standing-order-progress.ts';
import { toDomesticStandingOrder } from './standing-order-row.ts';
import type { DomesticStandingOrderTerms } from './stage-scheduled-payment-consents.ts';
import type { PaymentReach } from './payment-model.ts';
import { standingOrderKindColumnOf } from './payment-kind-column.ts';
import type { ConsentedPayment } from './submit-under-consent.ts';

/** A standing order as a submission sets it up. */
export interface NewStandingOrder {
  readonly id: string;
  readonly reach: PaymentReach;
  /** What the consent settled (`submitUnderConsent`). */
  readonly consented: ConsentedPayment;
  /** The schedule and amounts the PSU authorised. */
  readonly terms: DomesticStandingOrderTerms;
  /** The bank's own account the creditor names; null when each instalment leaves through clearing. */
  readonly creditorAccountId: string | null;
  /** International orders: the debtor account's currency, each instalment converted into it. */
  readonly debitCurrency: string | null;
  readonly shareRefundAccount: boolean;
}

/**
 * Stores a standing order pending with its first instalment, a durable job due at the
 * first payment date (dedupe key `standing-order:{id}:1`), in the submission's transaction; from
 * then on the payer's account shows the order, its first payment next (AIS standing-orders).
 */
export async function insertStandingOrder(trx: Transaction<DatabaseSchema>, order: NewStandingOrder, now: Date): Promise<string> {
  const { consented, terms } = order;
  const { summary, debtor } = consented;
  const currency = terms.firstAmount.currency;
  const minor = (amount: { decimal: string } | undefined) => (amount ? parseAmount(amount.decimal, currency) : null);
  const row = await trx
    .insertInto('standing_orders')
    .values({
      id: order.id,
      kind: standingOrderKindColumnOf(order.reach),
      consent_id: consented.consentId,
      client_id: consented.clientId,
      psu_id: consented.psuId,
      status: 'pending',
      status_reason_code: null,
      status_reason: null,
      created_at: now,
      status_updated_at: now,
      debtor_account_id: consented.debtorAccountId,
      debtor_scheme: debtor?.scheme ?? null,
      debtor_identification: debtor?.identification ?? null,
      debtor_name: debtor?.name ?? null,
      creditor_account_id: order.creditorAccountId,
      currency,
      debit_currency: order.debitCurrency,
      creditor_name: summary.creditorName,
      creditor_scheme: summary.creditorScheme,
      creditor_identification: summary.creditorIdentification,
      reference: summary.reference,
      first_amount_minor: summary.amountMinor,
      recurring_amount_minor: minor(terms.recurringAmount),
      final_amount_minor: minor(terms.finalAmount),
      first_payment_at: terms.firstPaymentAt,
      recurring_payment_at: terms.recurringPaymentAt ?? null,
      final_payment_at: terms.finalPaymentAt ?? null,
      number_of_payments: terms.numberOfPayments === undefined ? null : Number(terms.numberOfPayments),
      frequency: terms.frequency,
      share_refund_account: order.shareRefundAccount,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordStandingOrderProgress(trx, toDomesticStandingOrder(row), { status: 'pending', next: { n: 1, at: terms.firstPaymentAt } }, now);
  await scheduleJob(trx, standingOrderInstalmentJob(order.id, 1, terms.firstPaymentAt), now);
  return order.id;
}
