import type { FastifyInstance } from 'fastify';
import type { ExchangeRates } from '../../../../core/fx/index.ts';
import { findExchangeRate, getPaymentOfKindForClient, submitInternationalPayment } from '../../../../modules/payments/index.ts';
import { toObPaymentDetailsResponse } from '../domestic-payments/domestic-payments.schema.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import type { ObInternationalInitiation } from '../payment-initiation/ob-international-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  internationalPaymentIdParams,
  submitInternationalPaymentBody,
  toObInternationalResponse,
  type InternationalPaymentIdParams,
  type ObWriteInternational3,
} from './international-payments.schema.ts';

const PATH = `${PISP}/international-payments`;

/**
 * OB v4.0 `POST /international-payments` (the PSU's token for the authorised consent, signed
 * request, idempotent), `GET /international-payments/{InternationalPaymentId}` and `GET
 * …/payment-details` (the TPP's client-credentials token), as the domestic payments.
 */
export async function internationalPaymentsRoutes(app: FastifyInstance, context: PisRouteContext, rates: ExchangeRates): Promise<void> {
  const self = (id: string) => pisLink(context, `/international-payments/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteInternational3 }>(
    PATH,
    // A repeat of the submission that consumed the consent must reach its idempotency check.
    {
      onRequest: context.psuSecurity({ acceptConsumed: true, kind: 'international-payment' }),
      preValidation: context.signedRequest,
      schema: { body: submitInternationalPaymentBody },
    },
    async (request, reply) => {
      const consent = authorisedConsentOf(request);
      // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
      const { submission } = orderSubmissionOf<ObInternationalInitiation>(consent, request);
      const { payment, exchangeRate } = await submitInternationalPayment(
        { db: context.db, cache: context.cache, core: context.core, rates, onSubmitted: context.onPaymentSubmitted },
        submission,
        context.now(),
      );
      return reply.status(201).send(toObInternationalResponse(payment, exchangeRate, self(payment.id)));
    },
  );

  app.get<{ Params: InternationalPaymentIdParams }>(
    `${PATH}/:InternationalPaymentId`,
    { onRequest: context.tppSecurity, schema: { params: internationalPaymentIdParams } },
    async (request) => {
      const payment = await getPaymentOfKindForClient(context.db, request.params.InternationalPaymentId, 'international-payment', verifiedTokenOf(request).clientId);
      return toObInternationalResponse(payment, await findExchangeRate(context.db, payment.id), self(payment.id));
    },
  );

  app.get<{ Params: InternationalPaymentIdParams }>(
    `${PATH}/:InternationalPaymentId/payment-details`,
    { onRequest: context.tppSecurity, schema: { params: internationalPaymentIdParams } },
    async (request) => {
      const payment = await getPaymentOfKindForClient(context.db, request.params.InternationalPaymentId, 'international-payment', verifiedTokenOf(request).clientId);
      return toObPaymentDetailsResponse(payment, `${self(payment.id)}/payment-details`);
    },
  );
}
