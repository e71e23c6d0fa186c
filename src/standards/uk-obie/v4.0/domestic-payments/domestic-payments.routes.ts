import type { FastifyInstance } from 'fastify';
import { getDomesticPaymentForClient, submitDomesticPayment } from '../../../../modules/payments/index.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  domesticPaymentIdParams,
  submitDomesticPaymentBody,
  toObDomesticResponse,
  toObPaymentDetailsResponse,
  type DomesticPaymentIdParams,
  type ObWriteDomestic2,
} from './domestic-payments.schema.ts';

const PATH = `${PISP}/domestic-payments`;

/**
 * OB v4.0 `POST /domestic-payments` (the PSU's token for the authorised consent, signed request,
 * idempotent), `GET /domestic-payments/{DomesticPaymentId}` and `GET …/payment-details` (the TPP's
 * client-credentials token).
 */
export async function domesticPaymentsRoutes(app: FastifyInstance, context: PisRouteContext): Promise<void> {
  const self = (id: string) => pisLink(context, `/domestic-payments/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteDomestic2 }>(
    PATH,
    // A repeat of the submission that consumed the consent must reach its idempotency check.
    { onRequest: context.psuSecurity({ acceptConsumed: true }), preValidation: context.signedRequest, schema: { body: submitDomesticPaymentBody } },
    async (request, reply) => {
      const consent = authorisedConsentOf(request);
      // OB v4.0: "The PISP must ensure that the Initiation and Risk sections of the domestic-payment
      // match the corresponding Initiation and Risk sections of the domestic-payment-consent" (`orderSubmissionOf`).
      const { submission } = orderSubmissionOf(consent, request);
      const { payment } = await submitDomesticPayment(
        { db: context.db, cache: context.cache, core: context.core, onSubmitted: context.onPaymentSubmitted },
        submission,
        context.now(),
      );
      return reply.status(201).send(toObDomesticResponse(payment, self(payment.id)));
    },
  );

  app.get<{ Params: DomesticPaymentIdParams }>(`${PATH}/:DomesticPaymentId`, { onRequest: context.tppSecurity, schema: { params: domesticPaymentIdParams } }, async (request) => {
    const payment = await getDomesticPaymentForClient(context.db, request.params.DomesticPaymentId, verifiedTokenOf(request).clientId);
    return toObDomesticResponse(payment, self(payment.id));
  });

  app.get<{ Params: DomesticPaymentIdParams }>(
    `${PATH}/:DomesticPaymentId/payment-details`,
    { onRequest: context.tppSecurity, schema: { params: domesticPaymentIdParams } },
    async (request) => {
      const payment = await getDomesticPaymentForClient(context.db, request.params.DomesticPaymentId, verifiedTokenOf(request).clientId);
      return toObPaymentDetailsResponse(payment, `${self(payment.id)}/payment-details`);
    },
  );
}
