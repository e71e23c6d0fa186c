import type { FastifyInstance } from 'fastify';
import { getPaymentConsentForClient, stageDomesticScheduledPaymentConsent } from '../../../../modules/payments/index.ts';
import { consentIdParams, type ConsentIdParams } from '../domestic-payment-consents/domestic-payment-consents.schema.ts';
import { domesticTermsOf, idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { verifiedTokenOf } from '../security/security-context.ts';
import { createDomesticScheduledPaymentConsentBody, type ObWriteDomesticScheduledConsent4 } from './domestic-scheduled-payment-consents.schema.ts';

const PATH = `${PISP}/domestic-scheduled-payment-consents`;

/** OB v4.0 `POST /domestic-scheduled-payment-consents` (signed request, idempotent) and `GET …/{ConsentId}`. */
export async function domesticScheduledPaymentConsentsRoutes(app: FastifyInstance, context: PisRouteContext): Promise<void> {
  const self = (id: string) => pisLink(context, `/domestic-scheduled-payment-consents/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteDomesticScheduledConsent4 }>(
    PATH,
    { onRequest: context.tppSecurity, preValidation: context.signedRequest, schema: { body: createDomesticScheduledPaymentConsentBody } },
    async (request, reply) => {
      const { Initiation } = request.body.Data;
      const consent = await stageDomesticScheduledPaymentConsent(
        { db: context.db, core: context.core },
        {
          clientId: verifiedTokenOf(request).clientId,
          idempotencyKey: idempotencyKeyOf(request.headers),
          terms: domesticTermsOf(Initiation),
          requestedExecutionAt: new Date(Initiation.RequestedExecutionDateTime),
          request: request.body as unknown as Record<string, unknown>,
        },
        context.now(),
      );
      return reply.status(201).send(toObPaymentOrderConsentResponse(consent, null, self(consent.id)));
    },
  );

  app.get<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request) => {
    const view = await getPaymentConsentForClient(context.db, context.core, request.params.ConsentId, verifiedTokenOf(request).clientId, 'domestic-scheduled-payment', context.now());
    return toObPaymentOrderConsentResponse(view.consent, view.debtor, self(view.consent.id));
  });
}
