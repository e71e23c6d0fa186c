import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { onePaymentReads } from '../domestic-payments/domestic-payments.resource.ts';
import { definePaymentOrderResource } from '../payment-initiation/define-payment-order-resource.ts';
import { scheduledSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import { submitInternationalScheduledPaymentBody, toObInternationalScheduledResponse, type ObWriteInternationalScheduled3 } from './international-scheduled-payments.schema.ts';
import { wiredAsReceived } from '../_wire/wire-store.ts';

/** OB v4.0 `/international-scheduled-payments`: `POST`, `GET …/{InternationalScheduledPaymentId}` and `GET …/payment-details`. */
export const internationalScheduledPayments =
  definePaymentOrderResource<ObWriteInternationalScheduled3, DomesticPayment>({
    path: '/international-scheduled-payments',
    idParam: 'InternationalScheduledPaymentId',
    body: submitInternationalScheduledPaymentBody,
    async submit(context, request, self) {
      // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
      const scheduled = scheduledSubmissionOf(request.consent, request);
      const { payment, exchangeRate } = await context.payments.submitInternationalScheduledPayment(scheduled, context.now());
      return toObInternationalScheduledResponse(wiredAsReceived(request.received, payment), exchangeRate, self(payment.id));
    },
    respond: async (context, payment, self) => toObInternationalScheduledResponse(payment, await context.payments.exchangeRateOfPayment(payment), self),
    ...onePaymentReads('international-scheduled-payment', { kind: 'scheduled', reach: 'international' }),
  });
