import { internationalConsentReads } from '../international-payment-consents/international-payment-consents.resource.ts';
import { definePaymentConsentResource } from '../payment-initiation/define-payment-consent-resource.ts';
import { internationalTermsOf } from '../payment-initiation/ob-international-wire.ts';
import { createInternationalScheduledPaymentConsentBody, type ObWriteInternationalScheduledConsent5 } from './international-scheduled-payment-consents.schema.ts';

/**
 * OB v4.0 `/international-scheduled-payment-consents`: `POST` (the rate settled and returned as
 * `ExchangeRateInformation`), `GET …/{ConsentId}` and `GET …/{ConsentId}/funds-confirmation`.
 */
export const internationalScheduledPaymentConsents =
  definePaymentConsentResource<ObWriteInternationalScheduledConsent5>({
    path: '/international-scheduled-payment-consents',
    body: createInternationalScheduledPaymentConsentBody,
    async stage(context, input, { Data: { Initiation } }) {
      const terms = { ...input, terms: internationalTermsOf(Initiation), requestedExecutionAt: new Date(Initiation.RequestedExecutionDateTime) };
      return { ...(await context.payments.stageInternationalScheduledPaymentConsent(terms, context.now())), debtor: null };
    },
    ...internationalConsentReads('international-scheduled-payment'),
  });
