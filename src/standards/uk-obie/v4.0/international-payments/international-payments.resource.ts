import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { onePaymentReads } from '../domestic-payments/domestic-payments.resource.ts';
import { definePaymentOrderResource } from '../payment-initiation/define-payment-order-resource.ts';
import type { ObInternationalInitiation } from '../payment-initiation/ob-international-wire.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import { toObPaymentResponse } from '../domestic-payments/domestic-payments.schema.ts';
import { submitInternationalPaymentBody, type ObWriteInternational3 } from './international-payments.schema.ts';
import { wiredAsReceived } from '../_wire/wire-store.ts';

/** OB v4.0 `/international-payments`: `POST`, `GET …/{InternationalPaymentId}` and `GET …/payment-details`. */
export const internationalPayments =
  definePaymentOrderResource<ObWriteInternational3, DomesticPayment>({
    path: '/international-payments',
    idParam: 'InternationalPaymentId',
    body: submitInternationalPaymentBody,
    async submit(context, request, self) {
      // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
      const { submission } = orderSubmissionOf<ObInternationalInitiation>(request.consent, request);
      const { payment, exchangeRate } = await context.payments.submitInternationalPayment(submission, context.now());
      return toObPaymentResponse('InternationalPaymentId', wiredAsReceived(request.received, payment), self(payment.id), exchangeRate);
    },
    respond: async (context, payment, self) => toObPaymentResponse('InternationalPaymentId', payment, self, await context.payments.findExchangeRate(payment.id)),
    ...onePaymentReads('international-payment', { kind: 'single', reach: 'international' }),
  });
