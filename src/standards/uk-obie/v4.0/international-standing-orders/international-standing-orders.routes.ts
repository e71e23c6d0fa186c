import type { FastifyInstance } from 'fastify';
import { getDomesticStandingOrderForClient, listStandingOrderInstalments, submitInternationalStandingOrder } from '../../../../modules/payments/index.ts';
import { toObStandingOrderPaymentDetailsResponse } from '../domestic-standing-orders/domestic-standing-orders.schema.ts';
import {
  internationalStandingOrderTermsOf,
  type ObInternationalStandingOrderInitiation,
} from '../international-standing-order-consents/international-standing-order-consents.schema.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  internationalStandingOrderIdParams,
  submitInternationalStandingOrderBody,
  toObInternationalStandingOrderResponse,
  type InternationalStandingOrderIdParams,
  type ObWriteInternationalStandingOrder4,
} from './international-standing-orders.schema.ts';

const PATH = `${PISP}/international-standing-orders`;

/**
 * OB v4.0 `POST /international-standing-orders` (the PSU's token for the authorised consent,
 * signed, idempotent), `GET …/{InternationalStandingOrderPaymentId}` and `GET …/payment-details`
 * (client credentials: one entry per instalment run so far), as the domestic standing orders.
 */
export async function internationalStandingOrdersRoutes(app: FastifyInstance, context: PisRouteContext): Promise<void> {
  const self = (id: string) => pisLink(context, `/international-standing-orders/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteInternationalStandingOrder4 }>(
    PATH,
    // A repeat of the submission that consumed the consent must reach its idempotency check.
    {
      onRequest: context.psuSecurity({ acceptConsumed: true, kind: 'international-standing-order' }),
      preValidation: context.signedRequest,
      schema: { body: submitInternationalStandingOrderBody },
    },
    async (request, reply) => {
      const consent = authorisedConsentOf(request);
      // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
      const { submission, consented } = orderSubmissionOf<ObInternationalStandingOrderInitiation>(consent, request);
      const { order } = await submitInternationalStandingOrder(
        { db: context.db, cache: context.cache, core: context.core },
        { ...submission, consentedOrder: internationalStandingOrderTermsOf(consented.Data.Initiation) },
        context.now(),
      );
      return reply.status(201).send(toObInternationalStandingOrderResponse(order, self(order.id)));
    },
  );

  const read = (request: { params: InternationalStandingOrderIdParams }, clientId: string) =>
    getDomesticStandingOrderForClient(context.db, request.params.InternationalStandingOrderPaymentId, clientId, 'international-standing-order');

  app.get<{ Params: InternationalStandingOrderIdParams }>(
    `${PATH}/:InternationalStandingOrderPaymentId`,
    { onRequest: context.tppSecurity, schema: { params: internationalStandingOrderIdParams } },
    async (request) => {
      const order = await read(request, verifiedTokenOf(request).clientId);
      return toObInternationalStandingOrderResponse(order, self(order.id));
    },
  );

  app.get<{ Params: InternationalStandingOrderIdParams }>(
    `${PATH}/:InternationalStandingOrderPaymentId/payment-details`,
    { onRequest: context.tppSecurity, schema: { params: internationalStandingOrderIdParams } },
    async (request) => {
      const order = await read(request, verifiedTokenOf(request).clientId);
      return toObStandingOrderPaymentDetailsResponse(await listStandingOrderInstalments(context.db, order.id), `${self(order.id)}/payment-details`);
    },
  );
}
