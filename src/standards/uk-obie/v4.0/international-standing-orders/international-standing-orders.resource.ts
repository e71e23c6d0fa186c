import type { InternationalStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { defineStandingOrderResource } from '../domestic-standing-orders/define-standing-order-resource.ts';
import {
  internationalStandingOrderTermsOf,
  type ObInternationalStandingOrderInitiation,
} from '../international-standing-order-consents/international-standing-order-consents.schema.ts';
import { submitInternationalStandingOrderBody, type ObWriteInternationalStandingOrder4 } from './international-standing-orders.schema.ts';

/**
 * OB v4.0 `/international-standing-orders`: `POST`, `GET …/{InternationalStandingOrderPaymentId}`
 * and `GET …/payment-details`, as the domestic standing orders.
 */
export const internationalStandingOrders = defineStandingOrderResource<
  ObWriteInternationalStandingOrder4,
  ObInternationalStandingOrderInitiation,
  InternationalStandingOrderTerms
>({
  path: '/international-standing-orders',
  idParam: 'InternationalStandingOrderPaymentId',
  idField: 'InternationalStandingOrderId',
  reach: 'international',
  body: submitInternationalStandingOrderBody,
  termsOf: internationalStandingOrderTermsOf,
  submit: (context, ordered) => context.payments.submitInternationalStandingOrder(ordered, context.now()),
});
