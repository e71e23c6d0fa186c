import type { DomesticStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { standingOrderTermsOf, type ObDomesticStandingOrderInitiation } from '../domestic-standing-order-consents/domestic-standing-order-consents.schema.ts';
import { defineStandingOrderResource } from './define-standing-order-resource.ts';
import { submitDomesticStandingOrderBody, type ObWriteDomesticStandingOrder3 } from './domestic-standing-orders.schema.ts';

/** OB v4.0 `/domestic-standing-orders`: `POST`, `GET …/{DomesticStandingOrderId}` and `GET …/payment-details`. */
export const domesticStandingOrders = defineStandingOrderResource<ObWriteDomesticStandingOrder3, ObDomesticStandingOrderInitiation, DomesticStandingOrderTerms>({
  path: '/domestic-standing-orders',
  idParam: 'DomesticStandingOrderId',
  idField: 'DomesticStandingOrderId',
  reach: 'domestic',
  body: submitDomesticStandingOrderBody,
  termsOf: standingOrderTermsOf,
  submit: (context, ordered) => context.payments.submitDomesticStandingOrder(ordered, context.now()),
});
