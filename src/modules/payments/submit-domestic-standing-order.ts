import { randomUUID } from 'node:crypto';
import { parseAmount } from '../../core/index.ts';
import { scheduleJob } from '../../platform/scheduler/index.ts';
import { standingOrderInstalmentJob } from './execute-standing-order-instalment.ts';
import { findDomesticStandingOrder } from './get-domestic-standing-order.ts';
import type { DomesticStandingOrderTerms } from './stage-scheduled-payment-consents.ts';
import type { DomesticStandingOrder } from './standing-order-model.ts';
import type { DomesticPaymentSubmission } from './submit-domestic-payment.ts';
import { submitUnderConsent, type SubmitUnderConsentDeps } from './submit-under-consent.ts';

/** Idempotency scope of `POST /domestic-standing-orders`. */
export const DOMESTIC_STANDING_ORDERS_OPERATION = 'domestic-standing-orders';

export interface DomesticStandingOrderSubmission extends DomesticPaymentSubmission {
  /** The schedule and amounts the PSU authorised (the consent's, in neutral form). */
  readonly consentedOrder: DomesticStandingOrderTerms;
}

export interface SubmittedDomesticStandingOrder {
  readonly order: DomesticStandingOrder;
  readonly created: boolean;
}

/**
 * Sets up the standing order the PSU authorised (the rules of `submitUnderConsent`): stored
 * InitiationPending, with its first instalment a durable job due at the first payment date
 * (dedupe key `standing-order:{id}:1`); each instalment schedules the next as it runs
 * (`executeStandingOrderInstalment`).
 */
export async function submitDomesticStandingOrder(deps: SubmitUnderConsentDeps, submission: DomesticStandingOrderSubmission, now: Date = new Date()): Promise<SubmittedDomesticStandingOrder> {
  const terms = submission.consentedOrder;
  const currency = terms.firstAmount.currency;
  const minor = (amount: { decimal: string } | undefined) => (amount ? parseAmount(amount.decimal, currency) : null);
  const outcome = await submitUnderConsent(
    deps,
    submission,
    { kind: 'domestic-standing-order', operation: DOMESTIC_STANDING_ORDERS_OPERATION },
    async (trx, consented) => {
      // OB DomesticStandingOrderId: at most 40 characters.
      const id = `pso-${randomUUID()}`;
      const { summary, debtor } = consented;
      await trx
        .insertInto('standing_orders')
        .values({
          id,
          consent_id: consented.consentId,
          client_id: consented.clientId,
          psu_id: consented.psuId,
          status: 'InitiationPending',
          status_reason_code: null,
          status_reason: null,
          created_at: now,
          status_updated_at: now,
          debtor_account_id: consented.debtorAccountId,
          debtor_scheme: debtor?.scheme ?? null,
          debtor_identification: debtor?.identification ?? null,
          debtor_name: debtor?.name ?? null,
          creditor_account_id: consented.creditorAccountId,
          currency,
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
          request: JSON.stringify(submission.request),
          share_refund_account: submission.shareRefundAccount,
        })
        .execute();
      await scheduleJob(trx, standingOrderInstalmentJob(id, 1, terms.firstPaymentAt), now);
      return id;
    },
    now,
  );
  const order = await findDomesticStandingOrder(deps.db, outcome.resourceId);
  if (!order) throw new Error(`standing order ${outcome.resourceId} created under an idempotency key is gone`);
  return { order, created: outcome.created };
}
