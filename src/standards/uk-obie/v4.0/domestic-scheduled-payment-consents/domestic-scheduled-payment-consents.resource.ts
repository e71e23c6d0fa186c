import { definePaymentConsentResource } from '../payment-initiation/define-payment-consent-resource.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import { domesticTermsOf } from '../payment-initiation/ob-payment-wire.ts';
import { createDomesticScheduledPaymentConsentBody, type ObWriteDomesticScheduledConsent4 } from './domestic-scheduled-payment-consents.schema.ts';

/** OB v4.0 `/domestic-scheduled-payment-consents`: `POST` and `GET …/{ConsentId}`. */
export const domesticScheduledPaymentConsents = definePaymentConsentResource<ObWriteDomesticScheduledConsent4>({
  path: '/domestic-scheduled-payment-consents',
  kind: 'domestic-scheduled-payment',
  body: createDomesticScheduledPaymentConsentBody,
  async stage(context, input, { Data: { Initiation } }) {
    const terms = { ...input, terms: domesticTermsOf(Initiation), requestedExecutionAt: new Date(Initiation.RequestedExecutionDateTime) };
    return { consent: await context.payments.stageDomesticScheduledPaymentConsent(terms, context.now()), debtor: null };
  },
  respond: (view, self) => toObPaymentOrderConsentResponse(view.consent, view.debtor, self),
});
