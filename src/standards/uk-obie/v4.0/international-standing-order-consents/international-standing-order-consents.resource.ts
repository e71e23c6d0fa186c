import { definePaymentConsentResource } from '../payment-initiation/define-payment-consent-resource.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import {
  createInternationalStandingOrderConsentBody,
  internationalStandingOrderTermsOf,
  type ObWriteInternationalStandingOrderConsent6,
} from './international-standing-order-consents.schema.ts';

/** OB v4.0 `/international-standing-order-consents`: `POST` and `GET …/{ConsentId}`. */
export const internationalStandingOrderConsents = definePaymentConsentResource<ObWriteInternationalStandingOrderConsent6>({
  path: '/international-standing-order-consents',
  kind: 'international-standing-order',
  body: createInternationalStandingOrderConsentBody,
  async stage(context, input, body) {
    const terms = { ...input, terms: internationalStandingOrderTermsOf(body.Data.Initiation) };
    return { consent: await context.payments.stageInternationalStandingOrderConsent(terms, context.now()), debtor: null };
  },
  respond: (view, self) => toObPaymentOrderConsentResponse(view.consent, view.debtor, self),
});
