import type { FastifyInstance } from 'fastify';
import { getPaymentConsentForClient, stageInternationalStandingOrderConsent } from '../../../../modules/payments/index.ts';
import { consentIdParams, type ConsentIdParams } from '../consent-id-params.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import { idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { verifiedTokenOf } from '../security/security-context.ts';
import {
  createInternationalStandingOrderConsentBody,
  internationalStandingOrderTermsOf,
  type ObWriteInternationalStandingOrderConsent6,
} from './international-standing-order-consents.schema.ts';

const PATH = `${PISP}/international-standing-order-consents`;

/** OB v4.0 `POST /international-standing-order-consents` (signed request, idempotent) and `GET …/{ConsentId}`. */
export async function internationalStandingOrderConsentsRoutes(app: FastifyInstance, context: PisRouteContext): Promise<void> {
  const self = (id: string) => pisLink(context, `/international-standing-order-consents/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteInternationalStandingOrderConsent6 }>(
    PATH,
    { onRequest: context.tppSecurity, preValidation: context.signedRequest, schema: { body: createInternationalStandingOrderConsentBody } },
    async (request, reply) => {
      const consent = await stageInternationalStandingOrderConsent(
        { db: context.db, core: context.core },
        {
          clientId: verifiedTokenOf(request).clientId,
          idempotencyKey: idempotencyKeyOf(request.headers),
          terms: internationalStandingOrderTermsOf(request.body.Data.Initiation),
          request: request.body as unknown as Record<string, unknown>,
        },
        context.now(),
      );
      return reply.status(201).send(toObPaymentOrderConsentResponse(consent, null, self(consent.id)));
    },
  );

  app.get<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request) => {
    const view = await getPaymentConsentForClient(context.db, context.core, request.params.ConsentId, verifiedTokenOf(request).clientId, 'international-standing-order', context.now());
    return toObPaymentOrderConsentResponse(view.consent, view.debtor, self(view.consent.id));
  });
}
