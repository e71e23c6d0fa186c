import type { DomesticPayment, PaymentOrderType } from '../../../../modules/payments/index.ts';
import { definePaymentOrderResource } from '../payment-initiation/define-payment-order-resource.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { wiredAsReceived, type Wired } from '../_wire/wire-store.ts';
import { submitDomesticPaymentBody, toObPaymentDetailsResponse, toObPaymentResponse, type ObWriteDomestic2 } from './domestic-payments.schema.ts';

/**
 * The reads of a payment order of one payment (domestic, scheduled, international) under a consent
 * of `kind`: the payment of that `type`, its one payment-details entry.
 */
export function onePaymentReads(kind: 'domestic-payment' | 'domestic-scheduled-payment' | 'international-payment' | 'international-scheduled-payment', type: PaymentOrderType) {
  return {
    kind,
    wire: 'payment' as const,
    read: (context: PisRouteContext, id: string, clientId: string) => context.payments.getPayment(id, type, clientId),
    details: (_context: PisRouteContext, payment: Wired<DomesticPayment>, self: string) => toObPaymentDetailsResponse(payment, self),
  };
}

/** OB v4.0 `/domestic-payments`: `POST`, `GET …/{DomesticPaymentId}` and `GET …/payment-details`. */
export const domesticPayments = definePaymentOrderResource<ObWriteDomestic2, DomesticPayment>({
  path: '/domestic-payments',
  idParam: 'DomesticPaymentId',
  body: submitDomesticPaymentBody,
  async submit(context, request, self) {
    // OB v4.0: "The PISP must ensure that the Initiation and Risk sections of the domestic-payment
    // match the corresponding Initiation and Risk sections of the domestic-payment-consent" (`orderSubmissionOf`).
    const { submission } = orderSubmissionOf(request.consent, request);
    const { payment } = await context.payments.submitDomesticPayment(submission, context.now());
    return toObPaymentResponse('DomesticPaymentId', wiredAsReceived(request.received, payment), self(payment.id));
  },
  respond: (_context, payment, self) => toObPaymentResponse('DomesticPaymentId', payment, self),
  ...onePaymentReads('domestic-payment', { kind: 'single', reach: 'domestic' }),
});
