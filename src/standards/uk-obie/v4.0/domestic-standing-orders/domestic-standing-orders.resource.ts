import type { DomesticStandingOrder } from '../../../../modules/payments/index.ts';
import { standingOrderTermsOf, type ObDomesticStandingOrderInitiation } from '../domestic-standing-order-consents/domestic-standing-order-consents.schema.ts';
import { definePaymentOrderResource } from '../payment-initiation/define-payment-order-resource.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import {
  submitDomesticStandingOrderBody,
  toObStandingOrderPaymentDetailsResponse,
  toObStandingOrderResponse,
  type ObWriteDomesticStandingOrder3,
} from './domestic-standing-orders.schema.ts';
import { wiredAsReceived } from '../_wire/wire-store.ts';

/** `GET …/payment-details` of a standing order (domestic or international): one entry per instalment run so far. */
export async function standingOrderDetails(context: PisRouteContext, order: DomesticStandingOrder, self: string) {
  return toObStandingOrderPaymentDetailsResponse(await context.payments.listStandingOrderInstalments(order.id), self);
}

/** OB v4.0 `/domestic-standing-orders`: `POST`, `GET …/{DomesticStandingOrderId}` and `GET …/payment-details`. */
export const domesticStandingOrders = definePaymentOrderResource<ObWriteDomesticStandingOrder3, DomesticStandingOrder>({
  path: '/domestic-standing-orders',
  idParam: 'DomesticStandingOrderId',
  kind: 'domestic-standing-order',
  wire: 'standing-order',
  body: submitDomesticStandingOrderBody,
  async submit(context, request, self) {
    // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
    const { submission, consented } = orderSubmissionOf<ObDomesticStandingOrderInitiation>(request.consent, request);
    const ordered = { ...submission, consentedOrder: standingOrderTermsOf(consented.Data.Initiation) };
    const { order } = await context.payments.submitDomesticStandingOrder(ordered, context.now());
    return toObStandingOrderResponse('DomesticStandingOrderId', wiredAsReceived(request.received, order), self(order.id));
  },
  read: (context, id, clientId) => context.payments.getStandingOrder(id, clientId, 'domestic'),
  respond: (_context, order, self) => toObStandingOrderResponse('DomesticStandingOrderId', order, self),
  details: standingOrderDetails,
});
