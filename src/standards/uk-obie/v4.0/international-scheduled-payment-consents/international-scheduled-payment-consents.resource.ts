import type { ExchangeRates } from '../../../../core/fx/index.ts';
import { stageInternationalScheduledPaymentConsent } from '../../../../modules/payments/index.ts';
import { internationalConsentReads } from '../international-payment-consents/international-payment-consents.resource.ts';
import { definePaymentConsentResource } from '../payment-initiation/define-payment-consent-resource.ts';
import { internationalTermsOf } from '../payment-initiation/ob-international-wire.ts';
import { createInternationalScheduledPaymentConsentBody, type ObWriteInternationalScheduledConsent5 } from './international-scheduled-payment-consents.schema.ts';

/**
 * OB v4.0 `/international-scheduled-payment-consents`: `POST` (the rate settled and returned as
 * `ExchangeRateInformation`), `GET …/{ConsentId}` and `GET …/{ConsentId}/funds-confirmation`.
 */
export const internationalScheduledPaymentConsents = (rates: ExchangeRates) =>
  definePaymentConsentResource<ObWriteInternationalScheduledConsent5>({
    path: '/international-scheduled-payment-consents',
    body: createInternationalScheduledPaymentConsentBody,
    async stage(context, input, { Data: { Initiation } }) {
      const terms = { ...input, terms: internationalTermsOf(Initiation), requestedExecutionAt: new Date(Initiation.RequestedExecutionDateTime) };
      return { ...(await stageInternationalScheduledPaymentConsent({ db: context.db, consents: context.consents, core: context.core, rates }, terms, context.now())), debtor: null };
    },
    ...internationalConsentReads(rates, 'international-scheduled-payment'),
  });
