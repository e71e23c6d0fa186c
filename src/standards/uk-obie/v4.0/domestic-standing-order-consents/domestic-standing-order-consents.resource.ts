import type { DomesticStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { defineStandingOrderConsentResource } from './define-standing-order-consent-resource.ts';
import {
  createDomesticStandingOrderConsentBody,
  standingOrderTermsOf,
  type ObDomesticStandingOrderInitiation,
  type ObWriteDomesticStandingOrderConsent5,
} from './domestic-standing-order-consents.schema.ts';

/** OB v4.0 `/domestic-standing-order-consents`: `POST` and `GET …/{ConsentId}`. */
export const domesticStandingOrderConsents = defineStandingOrderConsentResource<ObWriteDomesticStandingOrderConsent5, ObDomesticStandingOrderInitiation, DomesticStandingOrderTerms>({
  path: '/domestic-standing-order-consents',
  reach: 'domestic',
  body: createDomesticStandingOrderConsentBody,
  termsOf: standingOrderTermsOf,
  stage: (context, terms) => context.payments.stageDomesticStandingOrderConsent(terms, context.now()),
});
