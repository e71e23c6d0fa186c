import { randomUUID } from 'node:crypto';
import type { DomesticStandingOrderTerms } from './stage-scheduled-payment-consents.ts';
import type { DomesticPaymentSubmission } from './submit-domestic-payment.ts';
import { submitStandingOrder, type SubmittedDomesticStandingOrder } from './submit-standing-order.ts';
import type { SubmitUnderConsentDeps } from './submit-under-consent.ts';

/** Idempotency scope of `POST /domestic-standing-orders`. */
export const DOMESTIC_STANDING_ORDERS_OPERATION = 'domestic-standing-orders';

export interface DomesticStandingOrderSubmission extends DomesticPaymentSubmission {
  /** The schedule and amounts the PSU authorised (the consent's, in neutral form). */
  readonly consentedOrder: DomesticStandingOrderTerms;
}

/**
 * Sets up the standing order the PSU authorised (the rules of `submitUnderConsent`): stored
 * pending, with its first instalment a durable job due at the first payment date
 * (`insertStandingOrder`); each instalment schedules the next as it runs
 * (`executeStandingOrderInstalment`).
 */
export async function submitDomesticStandingOrder(deps: SubmitUnderConsentDeps, submission: DomesticStandingOrderSubmission, now: Date = new Date()): Promise<SubmittedDomesticStandingOrder> {
  return submitStandingOrder(
    deps,
    submission,
    { kind: 'domestic-standing-order', operation: DOMESTIC_STANDING_ORDERS_OPERATION },
    (consented) => ({
      // OB DomesticStandingOrderId: at most 40 characters.
      id: `pso-${randomUUID()}`,
      reach: 'domestic',
      terms: submission.consentedOrder,
      creditorAccountId: consented.creditorAccountId,
      debitCurrency: null,
    }),
    now,
  );
}
