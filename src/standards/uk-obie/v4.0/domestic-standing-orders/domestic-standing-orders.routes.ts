import type { FastifyInstance } from 'fastify';
import { getDomesticStandingOrderForClient, listStandingOrderInstalments, submitDomesticStandingOrder } from '../../../../modules/payments/index.ts';
import { standingOrderTermsOf, type ObDomesticStandingOrderInitiation } from '../domestic-standing-order-consents/domestic-standing-order-consents.schema.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  domesticStandingOrderIdParams,
  submitDomesticStandingOrderBody,
  toObDomesticStandingOrderResponse,
  toObStandingOrderPaymentDetailsResponse,
  type DomesticStandingOrderIdParams,
  type ObWriteDomesticStandingOrder3,
} from './domestic-standing-orders.schema.ts';

const PATH = `${PISP}/domestic-standing-orders`;

/**
 * OB v4.0 `POST /domestic-standing-orders` (the PSU's token for the authorised consent, signed,
 * idempotent), `GET …/{DomesticStandingOrderId}` and `GET …/payment-details` (client credentials).
 */
export async function domesticStandingOrdersRoutes(app: FastifyInstance, context: PisRouteContext): Promise<void> {
  const self = (id: string) => pisLink(context, `/domestic-standing-orders/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteDomesticStandingOrder3 }>(
    PATH,
    // A repeat of the submission that consumed the consent must reach its idempotency check.
    {
      onRequest: context.psuSecurity({ acceptConsumed: true, kind: 'domestic-standing-order' }),
      preValidation: context.signedRequest,
      schema: { body: submitDomesticStandingOrderBody },
    },
    async (request, reply) => {
      const consent = authorisedConsentOf(request);
      // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
      const { submission, consented } = orderSubmissionOf<ObDomesticStandingOrderInitiation>(consent, request);
      const { order } = await submitDomesticStandingOrder(
        { db: context.db, cache: context.cache, core: context.core },
        { ...submission, consentedOrder: standingOrderTermsOf(consented.Data.Initiation) },
        context.now(),
      );
      return reply.status(201).send(toObDomesticStandingOrderResponse(order, self(order.id)));
    },
  );

  app.get<{ Params: DomesticStandingOrderIdParams }>(
    `${PATH}/:DomesticStandingOrderId`,
    { onRequest: context.tppSecurity, schema: { params: domesticStandingOrderIdParams } },
    async (request) => {
      const order = await getDomesticStandingOrderForClient(context.db, request.params.DomesticStandingOrderId, verifiedTokenOf(request).clientId);
      return toObDomesticStandingOrderResponse(order, self(order.id));
    },
  );

  app.get<{ Params: DomesticStandingOrderIdParams }>(
    `${PATH}/:DomesticStandingOrderId/payment-details`,
    { onRequest: context.tppSecurity, schema: { params: domesticStandingOrderIdParams } },
    async (request) => {
      const order = await getDomesticStandingOrderForClient(context.db, request.params.DomesticStandingOrderId, verifiedTokenOf(request).clientId);
      return toObStandingOrderPaymentDetailsResponse(await listStandingOrderInstalments(context.db, order.id), `${self(order.id)}/payment-details`);
    },
  );
}
