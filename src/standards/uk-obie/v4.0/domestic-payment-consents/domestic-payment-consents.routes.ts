import type { FastifyInstance } from 'fastify';
import {
  confirmFundsForConsent,
  getPaymentConsentForClient,
  PaymentErrors,
  stageDomesticPaymentConsent,
} from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { domesticTermsOf, idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  consentIdParams,
  createDomesticPaymentConsentBody,
  toObDomesticConsentResponse,
  toObFundsConfirmationResponse,
  type ConsentIdParams,
  type ObWriteDomesticConsent4,
} from './domestic-payment-consents.schema.ts';

const PATH = `${PISP}/domestic-payment-consents`;

/**
 * OB v4.0 `POST /domestic-payment-consents` (signed request, idempotent), `GET
 * /domestic-payment-consents/{ConsentId}` and `GET …/{ConsentId}/funds-confirmation` (the PSU's token).
 */
export async function domesticPaymentConsentsRoutes(app: FastifyInstance, context: PisRouteContext): Promise<void> {
  const self = (id: string) => pisLink(context, `/domestic-payment-consents/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteDomesticConsent4 }>(
    PATH,
    { onRequest: context.tppSecurity, preValidation: context.signedRequest, schema: { body: createDomesticPaymentConsentBody } },
    async (request, reply) => {
      const consent = await stageDomesticPaymentConsent(
        { db: context.db, core: context.core },
        {
          clientId: verifiedTokenOf(request).clientId,
          idempotencyKey: idempotencyKeyOf(request.headers),
          terms: domesticTermsOf(request.body.Data.Initiation),
          request: request.body as unknown as Record<string, unknown>,
        },
        context.now(),
      );
      return reply.status(201).send(toObDomesticConsentResponse(consent, null, self(consent.id)));
    },
  );

  app.get<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request) => {
    const view = await getPaymentConsentForClient(context.db, context.core, request.params.ConsentId, verifiedTokenOf(request).clientId, 'domestic-payment', context.now());
    return toObDomesticConsentResponse(view.consent, view.debtor, self(view.consent.id));
  });

  app.get<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId/funds-confirmation`, { onRequest: context.psuSecurity(), schema: { params: consentIdParams } }, async (request) => {
    const consent = authorisedConsentOf(request);
    // The PSU's token is for one consent: it confirms funds for that one only.
    if (request.params.ConsentId !== consent.id) throw new AppError(PaymentErrors.CONSENT_NOT_OF_TOKEN, { details: [{ path: 'ConsentId' }] });
    const confirmation = await confirmFundsForConsent(context.core, consent, context.now());
    return toObFundsConfirmationResponse(confirmation, `${self(consent.id)}/funds-confirmation`);
  });
}
