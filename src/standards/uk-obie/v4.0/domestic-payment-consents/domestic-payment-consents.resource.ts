import { definePaymentConsentResource } from '../payment-initiation/define-payment-consent-resource.ts';
import { domesticTermsOf } from '../payment-initiation/ob-payment-wire.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import { createDomesticPaymentConsentBody, type ObWriteDomesticConsent4 } from './domestic-payment-consents.schema.ts';

/** OB v4.0 `/domestic-payment-consents`: `POST`, `GET …/{ConsentId}` and `GET …/{ConsentId}/funds-confirmation`. */
export const domesticPaymentConsents = definePaymentConsentResource<ObWriteDomesticConsent4>({
  path: '/domestic-payment-consents',
  kind: 'domestic-payment',
  body: createDomesticPaymentConsentBody,
  async stage(context, input, body) {
    const consent = await context.payments.stageDomesticPaymentConsent({ ...input, terms: domesticTermsOf(body.Data.Initiation) }, context.now());
    return { consent, debtor: null };
  },
  respond: (view, self) => toObPaymentOrderConsentResponse(view.consent, view.debtor, self),
  confirmFunds: (context, consent) => context.payments.confirmFunds(consent, context.now()),
});
