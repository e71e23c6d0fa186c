import { randomUUID } from 'node:crypto';
import { findCreatedStandingOrder } from './get-domestic-standing-order.ts';
import { insertStandingOrder } from './insert-standing-order.ts';
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
 * pending, with its first instalment a durable job due at the first payment date
 * (`insertStandingOrder`); each instalment schedules the next as it runs
 * (`executeStandingOrderInstalment`).
 */
export async function submitDomesticStandingOrder(deps: SubmitUnderConsentDeps, submission: DomesticStandingOrderSubmission, now: Date = new Date()): Promise<SubmittedDomesticStandingOrder> {
  const terms = submission.consentedOrder;
  const outcome = await submitUnderConsent(
    deps,
    submission,
    { kind: 'domestic-standing-order', operation: DOMESTIC_STANDING_ORDERS_OPERATION },
    async (tx, consented) => {
      // OB DomesticStandingOrderId: at most 40 characters.
      return insertStandingOrder(
        deps,
        tx,
        {
          id: `pso-${randomUUID()}`,
          reach: 'domestic',
          consented,
          terms,
          creditorAccountId: consented.creditorAccountId,
          debitCurrency: null,
          shareRefundAccount: submission.shareRefundAccount,
        },
        now,
      );
    },
    now,
  );
  return { order: await findCreatedStandingOrder(deps.standingOrders, outcome.resourceId), created: outcome.created };
}
