import type { FastifyInstance } from 'fastify';
import { getPaymentOfKindForClient, submitDomesticScheduledPayment } from '../../../../modules/payments/index.ts';
import type { ObDomesticScheduledInitiation } from '../domestic-scheduled-payment-consents/domestic-scheduled-payment-consents.schema.ts';
import { toObPaymentDetailsResponse } from '../domestic-payments/domestic-payments.schema.ts';
import { orderSubmissionOf } from '../payment-initiation/ob-payment-order-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  domesticScheduledPaymentIdParams,
  submitDomesticScheduledPaymentBody,
  toObDomesticScheduledResponse,
  type DomesticScheduledPaymentIdParams,
  type ObWriteDomesticScheduled2,
} from './domestic-scheduled-payments.schema.ts';

const PATH = `${PISP}/domestic-scheduled-payments`;

/**
 * OB v4.0 `POST /domestic-scheduled-payments` (the PSU's token for the authorised consent, signed,
 * idempotent), `GET …/{DomesticScheduledPaymentId}` and `GET …/payment-details` (client credentials).
 */
export async function domesticScheduledPaymentsRoutes(app: FastifyInstance, context: PisRouteContext): Promise<void> {
  const self = (id: string) => pisLink(context, `/domestic-scheduled-payments/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteDomesticScheduled2 }>(
    PATH,
    // A repeat of the submission that consumed the consent must reach its idempotency check.
    {
      onRequest: context.psuSecurity({ acceptConsumed: true, kind: 'domestic-scheduled-payment' }),
      preValidation: context.signedRequest,
      schema: { body: submitDomesticScheduledPaymentBody },
    },
    async (request, reply) => {
      const consent = authorisedConsentOf(request);
      // OB v4.0: the Initiation and Risk of the submission must match the consent's (`orderSubmissionOf`).
      const { submission, consented } = orderSubmissionOf<ObDomesticScheduledInitiation>(consent, request);
      const { payment } = await submitDomesticScheduledPayment(
        { db: context.db, cache: context.cache, core: context.core },
        { ...submission, requestedExecutionAt: new Date(consented.Data.Initiation.RequestedExecutionDateTime) },
        context.now(),
      );
      return reply.status(201).send(toObDomesticScheduledResponse(payment, self(payment.id)));
    },
  );

  const read = (request: { params: DomesticScheduledPaymentIdParams }, clientId: string) =>
    getPaymentOfKindForClient(context.db, request.params.DomesticScheduledPaymentId, 'domestic-scheduled-payment', clientId);

  app.get<{ Params: DomesticScheduledPaymentIdParams }>(
    `${PATH}/:DomesticScheduledPaymentId`,
    { onRequest: context.tppSecurity, schema: { params: domesticScheduledPaymentIdParams } },
    async (request) => {
      const payment = await read(request, verifiedTokenOf(request).clientId);
      return toObDomesticScheduledResponse(payment, self(payment.id));
    },
  );

  app.get<{ Params: DomesticScheduledPaymentIdParams }>(
    `${PATH}/:DomesticScheduledPaymentId/payment-details`,
    { onRequest: context.tppSecurity, schema: { params: domesticScheduledPaymentIdParams } },
    async (request) => {
      const payment = await read(request, verifiedTokenOf(request).clientId);
      return toObPaymentDetailsResponse(payment, `${self(payment.id)}/payment-details`);
    },
  );
}
