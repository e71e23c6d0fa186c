import type { DomesticStandingOrder } from '../../../../modules/payments/index.ts';
import { standingOrderDetails } from '../domestic-standing-orders/domestic-standing-orders.resource.ts';
import { toObStandingOrderResponse } from '../domestic-standing-orders/domestic-standing-orders.schema.ts';
import {
  internationalStandingOrderTermsOf,
  type ObInternationalStandingOrderInitiation,
} from '../international-standing-order-consents/international-standing-order-consents.schema.ts';
import { definePaymentOrderResource } from '../payment-initiation/define-payment-order-resource.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import { submitInternationalStandingOrderBody, type ObWriteInternationalStandingOrder4 } from './international-standing-orders.schema.ts';
import { wiredAsReceived } from '../_wire/wire-store.ts';

/**
 * OB v4.0 `/international-standing-orders`: `POST`, `GET …/{InternationalStandingOrderPaymentId}`
 * and `GET …/payment-details` (one entry per instalment run so far), as the domestic standing orders.
 */
export const internationalStandingOrders = definePaymentOrderResource<ObWriteInternationalStandingOrder4, DomesticStandingOrder>({
  path: '/international-standing-orders',
  idParam: 'InternationalStandingOrderPaymentId',
  kind: 'international-standing-order',
  wire: 'standing-order',
  body: submitInternationalStandingOrderBody,
  async submit(context, request, self) {
    // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
    const { submission, consented } = orderSubmissionOf<ObInternationalStandingOrderInitiation>(request.consent, request);
    const ordered = { ...submission, consentedOrder: internationalStandingOrderTermsOf(consented.Data.Initiation) };
    const { order } = await context.payments.submitInternationalStandingOrder(ordered, context.now());
    return toObStandingOrderResponse('InternationalStandingOrderId', wiredAsReceived(request.received, order), self(order.id));
  },
  read: (context, id, clientId) => context.payments.getStandingOrder(id, clientId, 'international'),
  respond: (_context, order, self) => toObStandingOrderResponse('InternationalStandingOrderId', order, self),
  details: standingOrderDetails,
});
