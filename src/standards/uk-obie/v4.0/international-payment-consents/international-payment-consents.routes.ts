import type { FastifyInstance } from 'fastify';
import type { ExchangeRates } from '../../../../core/fx/index.ts';
import {
  confirmInternationalFunds,
  getInternationalPaymentConsentForClient,
  PaymentErrors,
  stageInternationalPaymentConsent,
} from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { consentIdParams, toObFundsConfirmationResponse, type ConsentIdParams } from '../domestic-payment-consents/domestic-payment-consents.schema.ts';
import { internationalTermsOf, obExchangeRateInformation } from '../payment-initiation/ob-international-wire.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import { idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import { createInternationalPaymentConsentBody, type ObWriteInternationalConsent5 } from './international-payment-consents.schema.ts';

const PATH = `${PISP}/international-payment-consents`;

/**
 * OB v4.0 `POST /international-payment-consents` (signed request, idempotent; the exchange rate is
 * settled and returned as `ExchangeRateInformation`), `GET /international-payment-consents/{ConsentId}`
 * and `GET …/{ConsentId}/funds-confirmation` (the PSU's token), as the domestic payment consents.
 */
export async function internationalPaymentConsentsRoutes(app: FastifyInstance, context: PisRouteContext, rates: ExchangeRates): Promise<void> {
  const self = (id: string) => pisLink(context, `/international-payment-consents/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteInternationalConsent5 }>(
    PATH,
    { onRequest: context.tppSecurity, preValidation: context.signedRequest, schema: { body: createInternationalPaymentConsentBody } },
    async (request, reply) => {
      const { consent, exchangeRate } = await stageInternationalPaymentConsent(
        { db: context.db, core: context.core, rates },
        {
          clientId: verifiedTokenOf(request).clientId,
          idempotencyKey: idempotencyKeyOf(request.headers),
          terms: internationalTermsOf(request.body.Data.Initiation),
          request: request.body as unknown as Record<string, unknown>,
        },
        context.now(),
      );
      return reply.status(201).send(toObPaymentOrderConsentResponse(consent, null, self(consent.id), obExchangeRateInformation(exchangeRate)));
    },
  );

  app.get<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request) => {
    const view = await getInternationalPaymentConsentForClient(context.db, context.core, request.params.ConsentId, verifiedTokenOf(request).clientId, context.now());
    return toObPaymentOrderConsentResponse(view.consent, view.debtor, self(view.consent.id), obExchangeRateInformation(view.exchangeRate));
  });

  app.get<{ Params: ConsentIdParams }>(
    `${PATH}/:ConsentId/funds-confirmation`,
    { onRequest: context.psuSecurity({ kind: 'international-payment' }), schema: { params: consentIdParams } },
    async (request) => {
      const consent = authorisedConsentOf(request);
      // The PSU's token is for one consent: it confirms funds for that one only.
      if (request.params.ConsentId !== consent.id) throw new AppError(PaymentErrors.CONSENT_NOT_OF_TOKEN, { details: [{ path: 'ConsentId' }] });
      const confirmation = await confirmInternationalFunds({ db: context.db, core: context.core, rates }, consent, context.now());
      return toObFundsConfirmationResponse(confirmation, `${self(consent.id)}/funds-confirmation`);
    },
  );
}
