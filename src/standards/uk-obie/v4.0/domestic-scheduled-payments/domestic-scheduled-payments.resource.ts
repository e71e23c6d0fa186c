import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { onePaymentReads } from '../domestic-payments/domestic-payments.resource.ts';
import { definePaymentOrderResource } from '../payment-initiation/define-payment-order-resource.ts';
import { scheduledSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import { submitDomesticScheduledPaymentBody, toObDomesticScheduledResponse, type ObWriteDomesticScheduled2 } from './domestic-scheduled-payments.schema.ts';
import { wiredAsReceived } from '../_wire/wire-store.ts';

/** OB v4.0 `/domestic-scheduled-payments`: `POST`, `GET …/{DomesticScheduledPaymentId}` and `GET …/payment-details`. */
export const domesticScheduledPayments = definePaymentOrderResource<ObWriteDomesticScheduled2, DomesticPayment>({
  path: '/domestic-scheduled-payments',
  idParam: 'DomesticScheduledPaymentId',
  body: submitDomesticScheduledPaymentBody,
  async submit(context, request, self) {
    // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
    const scheduled = scheduledSubmissionOf(request.consent, request);
    const { payment } = await context.payments.submitDomesticScheduledPayment(scheduled, context.now());
    return toObDomesticScheduledResponse(wiredAsReceived(request.received, payment), self(payment.id));
  },
  respond: (_context, payment, self) => toObDomesticScheduledResponse(payment, self),
  ...onePaymentReads('domestic-scheduled-payment', { kind: 'scheduled', reach: 'domestic' }),
});
