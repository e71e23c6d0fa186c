import { definePaymentConsentResource } from '../payment-initiation/define-payment-consent-resource.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import { createDomesticStandingOrderConsentBody, standingOrderTermsOf, type ObWriteDomesticStandingOrderConsent5 } from './domestic-standing-order-consents.schema.ts';

/** OB v4.0 `/domestic-standing-order-consents`: `POST` and `GET …/{ConsentId}`. */
export const domesticStandingOrderConsents = definePaymentConsentResource<ObWriteDomesticStandingOrderConsent5>({
  path: '/domestic-standing-order-consents',
  kind: 'domestic-standing-order',
  body: createDomesticStandingOrderConsentBody,
  async stage(context, input, body) {
    const terms = { ...input, terms: standingOrderTermsOf(body.Data.Initiation) };
    return { consent: await context.payments.stageDomesticStandingOrderConsent(terms, context.now()), debtor: null };
  },
  respond: (view, self) => toObPaymentOrderConsentResponse(view.consent, view.debtor, self),
});
