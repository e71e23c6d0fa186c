import type { FastifyInstance } from 'fastify';
import type { ExchangeRates } from '../../../../core/fx/index.ts';
import { exchangeRateOfPayment, getPaymentOfKindForClient, submitInternationalScheduledPayment } from '../../../../modules/payments/index.ts';
import { toObPaymentDetailsResponse } from '../domestic-payments/domestic-payments.schema.ts';
import type { ObInternationalScheduledInitiation } from '../international-scheduled-payment-consents/international-scheduled-payment-consents.schema.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  internationalScheduledPaymentIdParams,
  submitInternationalScheduledPaymentBody,
  toObInternationalScheduledResponse,
  type InternationalScheduledPaymentIdParams,
  type ObWriteInternationalScheduled3,
} from './international-scheduled-payments.schema.ts';

const PATH = `${PISP}/international-scheduled-payments`;

/**
 * OB v4.0 `POST /international-scheduled-payments` (the PSU's token for the authorised consent,
 * signed, idempotent), `GET …/{InternationalScheduledPaymentId}` and `GET …/payment-details`
 * (client credentials), as the domestic scheduled payments.
 */
export async function internationalScheduledPaymentsRoutes(app: FastifyInstance, context: PisRouteContext, rates: ExchangeRates): Promise<void> {
  const self = (id: string) => pisLink(context, `/international-scheduled-payments/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteInternationalScheduled3 }>(
    PATH,
    // A repeat of the submission that consumed the consent must reach its idempotency check.
    {
      onRequest: context.psuSecurity({ acceptConsumed: true, kind: 'international-scheduled-payment' }),
      preValidation: context.signedRequest,
      schema: { body: submitInternationalScheduledPaymentBody },
    },
    async (request, reply) => {
      const consent = authorisedConsentOf(request);
      // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
      const { submission, consented } = orderSubmissionOf<ObInternationalScheduledInitiation>(consent, request);
      const { payment, exchangeRate } = await submitInternationalScheduledPayment(
        { db: context.db, cache: context.cache, core: context.core, rates },
        { ...submission, requestedExecutionAt: new Date(consented.Data.Initiation.RequestedExecutionDateTime) },
        context.now(),
      );
      return reply.status(201).send(toObInternationalScheduledResponse(payment, exchangeRate, self(payment.id)));
    },
  );

  const read = (request: { params: InternationalScheduledPaymentIdParams }, clientId: string) =>
    getPaymentOfKindForClient(context.db, request.params.InternationalScheduledPaymentId, 'international-scheduled-payment', clientId);

  app.get<{ Params: InternationalScheduledPaymentIdParams }>(
    `${PATH}/:InternationalScheduledPaymentId`,
    { onRequest: context.tppSecurity, schema: { params: internationalScheduledPaymentIdParams } },
    async (request) => {
      const payment = await read(request, verifiedTokenOf(request).clientId);
      return toObInternationalScheduledResponse(payment, await exchangeRateOfPayment(context.db, payment), self(payment.id));
    },
  );

  app.get<{ Params: InternationalScheduledPaymentIdParams }>(
    `${PATH}/:InternationalScheduledPaymentId/payment-details`,
    { onRequest: context.tppSecurity, schema: { params: internationalScheduledPaymentIdParams } },
    async (request) => {
      const payment = await read(request, verifiedTokenOf(request).clientId);
      return toObPaymentDetailsResponse(payment, `${self(payment.id)}/payment-details`);
    },
  );
}
