import { findCreatedStandingOrder } from './get-domestic-standing-order.ts';
import { insertStandingOrder, type NewStandingOrder } from './insert-standing-order.ts';
import type { DomesticStandingOrder } from './standing-order-model.ts';
import type { DomesticPaymentSubmission } from './submit-domestic-payment.ts';
import { submitUnderConsent, type ConsentedPayment, type SubmitUnderConsentDeps } from './submit-under-consent.ts';

/** A standing order (domestic or international) as its submission answers with it. */
export interface SubmittedDomesticStandingOrder {
  readonly order: DomesticStandingOrder;
  readonly created: boolean;
}

/**
 * Sets up a standing order the PSU authorised (the rules of `submitUnderConsent`): the order
 * `orderOf` makes of what the consent settled, stored pending with its first instalment
 * (`insertStandingOrder`); a repeat answers with the order it set up.
 */
export async function submitStandingOrder(
  deps: SubmitUnderConsentDeps,
  submission: DomesticPaymentSubmission,
  of: { readonly kind: 'domestic-standing-order' | 'international-standing-order'; readonly operation: string },
  orderOf: (consented: ConsentedPayment) => Omit<NewStandingOrder, 'consented' | 'shareRefundAccount'>,
  now: Date,
): Promise<SubmittedDomesticStandingOrder> {
  const outcome = await submitUnderConsent(
    deps,
    submission,
    of,
    async (tx, consented) => insertStandingOrder(deps, tx, { ...orderOf(consented), consented, shareRefundAccount: submission.shareRefundAccount }, now),
    now,
  );
  return { order: await findCreatedStandingOrder(deps.standingOrders, outcome.resourceId), created: outcome.created };
}
