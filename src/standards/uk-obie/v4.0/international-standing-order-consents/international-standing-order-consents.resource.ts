import type { InternationalStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { defineStandingOrderConsentResource } from '../domestic-standing-order-consents/define-standing-order-consent-resource.ts';
import {
  createInternationalStandingOrderConsentBody,
  internationalStandingOrderTermsOf,
  type ObInternationalStandingOrderInitiation,
  type ObWriteInternationalStandingOrderConsent6,
} from './international-standing-order-consents.schema.ts';

/** OB v4.0 `/international-standing-order-consents`: `POST` and `GET …/{ConsentId}`. */
export const internationalStandingOrderConsents = defineStandingOrderConsentResource<
  ObWriteInternationalStandingOrderConsent6,
  ObInternationalStandingOrderInitiation,
  InternationalStandingOrderTerms
>({
  path: '/international-standing-order-consents',
  reach: 'international',
  body: createInternationalStandingOrderConsentBody,
  termsOf: internationalStandingOrderTermsOf,
  stage: (context, terms) => context.payments.stageInternationalStandingOrderConsent(terms, context.now()),
});
