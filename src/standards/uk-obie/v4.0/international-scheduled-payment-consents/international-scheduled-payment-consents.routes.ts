import type { FastifyInstance } from 'fastify';
import type { ExchangeRates } from '../../../../core/fx/index.ts';
import {
  confirmInternationalFunds,
  getInternationalPaymentConsentForClient,
  PaymentErrors,
  stageInternationalScheduledPaymentConsent,
} from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { consentIdParams, type ConsentIdParams } from '../consent-id-params.ts';
import { toObFundsConfirmationResponse } from '../domestic-payment-consents/domestic-payment-consents.schema.ts';
import { internationalTermsOf, obExchangeRateInformation } from '../payment-initiation/ob-international-wire.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import { idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import { createInternationalScheduledPaymentConsentBody, type ObWriteInternationalScheduledConsent5 } from './international-scheduled-payment-consents.schema.ts';

const PATH = `${PISP}/international-scheduled-payment-consents`;

/**
 * OB v4.0 `POST /international-scheduled-payment-consents` (signed request, idempotent; the rate
 * settled and returned as `ExchangeRateInformation`), `GET …/{ConsentId}` and `GET
 * …/{ConsentId}/funds-confirmation` (the PSU's token), as the international payment consents.
 */
export async function internationalScheduledPaymentConsentsRoutes(app: FastifyInstance, context: PisRouteContext, rates: ExchangeRates): Promise<void> {
  const self = (id: string) => pisLink(context, `/international-scheduled-payment-consents/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteInternationalScheduledConsent5 }>(
    PATH,
    { onRequest: context.tppSecurity, preValidation: context.signedRequest, schema: { body: createInternationalScheduledPaymentConsentBody } },
    async (request, reply) => {
      const { Initiation } = request.body.Data;
      const { consent, exchangeRate } = await stageInternationalScheduledPaymentConsent(
        { db: context.db, core: context.core, rates },
        {
          clientId: verifiedTokenOf(request).clientId,
          idempotencyKey: idempotencyKeyOf(request.headers),
          terms: internationalTermsOf(Initiation),
          requestedExecutionAt: new Date(Initiation.RequestedExecutionDateTime),
          request: request.body as unknown as Record<string, unknown>,
        },
        context.now(),
      );
      return reply.status(201).send(toObPaymentOrderConsentResponse(consent, null, self(consent.id), obExchangeRateInformation(exchangeRate)));
    },
  );

  app.get<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request) => {
    const view = await getInternationalPaymentConsentForClient(
      context.db,
      context.core,
      request.params.ConsentId,
      verifiedTokenOf(request).clientId,
      context.now(),
      'international-scheduled-payment',
    );
    return toObPaymentOrderConsentResponse(view.consent, view.debtor, self(view.consent.id), obExchangeRateInformation(view.exchangeRate));
  });

  app.get<{ Params: ConsentIdParams }>(
    `${PATH}/:ConsentId/funds-confirmation`,
    { onRequest: context.psuSecurity({ kind: 'international-scheduled-payment' }), schema: { params: consentIdParams } },
    async (request) => {
      const consent = authorisedConsentOf(request);
      // The PSU's token is for one consent: it confirms funds for that one only.
      if (request.params.ConsentId !== consent.id) throw new AppError(PaymentErrors.CONSENT_NOT_OF_TOKEN, { details: [{ path: 'ConsentId' }] });
      const confirmation = await confirmInternationalFunds({ db: context.db, core: context.core, rates }, consent, context.now());
      return toObFundsConfirmationResponse(confirmation, `${self(consent.id)}/funds-confirmation`);
    },
  );
}
