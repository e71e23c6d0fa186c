import type { Consent } from '../../../../modules/consents/index.ts';
import { definePaymentConsentResource, type EchoedConsentView } from '../payment-initiation/define-payment-consent-resource.ts';
import { internationalTermsOf, obExchangeRateInformation } from '../payment-initiation/ob-international-wire.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { createInternationalPaymentConsentBody, type ObWriteInternationalConsent5 } from './international-payment-consents.schema.ts';

/** What the international consent resources (payments and scheduled payments) share: reads, responses and funds checks at the settled rate. */
export function internationalConsentReads(kind: 'international-payment' | 'international-scheduled-payment') {
  return {
    kind,
    read: (context: PisRouteContext, consentId: string, clientId: string) =>
      context.payments.getInternationalPaymentConsent(consentId, clientId, kind, context.now()),
    respond: (view: EchoedConsentView, self: string) => toObPaymentOrderConsentResponse(view.consent, view.debtor, self, obExchangeRateInformation(view.exchangeRate)),
    confirmFunds: (context: PisRouteContext, consent: Consent) => context.payments.confirmInternationalFunds(consent, context.now()),
  };
}

/**
 * OB v4.0 `/international-payment-consents`: `POST` (the exchange rate settled and returned as
 * `ExchangeRateInformation`), `GET …/{ConsentId}` and `GET …/{ConsentId}/funds-confirmation`.
 */
export const internationalPaymentConsents =
  definePaymentConsentResource<ObWriteInternationalConsent5>({
    path: '/international-payment-consents',
    body: createInternationalPaymentConsentBody,
    async stage(context, input, body) {
      const staged = await context.payments.stageInternationalPaymentConsent({ ...input, terms: internationalTermsOf(body.Data.Initiation) }, context.now());
      return { ...staged, debtor: null };
    },
    ...internationalConsentReads('international-payment'),
  });
