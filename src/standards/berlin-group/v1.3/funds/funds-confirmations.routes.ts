import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FundsApi } from '../../../../modules/funds/index.ts';
import type { ConsentsApi } from '../../../../modules/consents/index.ts';
import type { PsuAuthorisationApi } from '../../../../modules/psu-authorisation/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import type { Xs2aWireStore } from '../_wire/xs2a-wire-store.ts';
import { answerCreated, authorisationRoutes } from '../authorisations/xs2a-authorisations.ts';
import { xs2aConsentStatus } from '../consents/xs2a-consent-status.ts';
import { checkConsentValid } from '../security/check-consent.ts';
import { checkPsuIpAddress, redirectUrisOf } from '../security/request-headers.ts';
import { consentOf, headerOf, tppOf, type Xs2aStep } from '../security/xs2a-context.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { xs2aRequestSchema } from '../xs2a-request-validation.ts';
import { ibanOf } from '../payments/xs2a-payment-initiation.ts';
import { utcDayOf } from '../../../../platform/calendar/index.ts';

export const PIIS_CONSENTS_PATH = '/berlin-group/v2/consents/confirmation-of-funds';
export const FUNDS_CONFIRMATIONS_PATH = '/berlin-group/v1/funds-confirmations';

interface PiisConsentRequest {
  readonly account: { readonly iban?: string };
  readonly cardNumber?: string;
  readonly cardExpiryDate?: string;
  readonly cardInformation?: string;
  readonly registrationInformation?: string;
}
interface FundsConfirmationRequest {
  readonly account: { readonly iban?: string };
  readonly instructedAmount: { readonly currency: string; readonly amount: string };
  readonly payee?: string;
  readonly cardNumber?: string;
}

export interface FundsConfirmationRoutesOptions {
  readonly funds: FundsApi;
  readonly consents: Pick<ConsentsApi, 'findForRequest'>;
  readonly psuAuthorisation: Pick<PsuAuthorisationApi, 'startSca' | 'findScaOfClient' | 'listScaIds'>;
  readonly wire: Xs2aWireStore;
  readonly publicUrl: string;
  /** The TPP's identification (QWAC with the CBPII role, PSD2 "PIISP"). */
  readonly security: Xs2aStep[];
  readonly now: () => Date;
}

const compact = (iban: string) => iban.replace(/\s/g, '').toUpperCase();

/**
 * PIIS (NextGenPSD2 §7): the confirmation-of-funds consent of the v2.0 consent model — one account
 * of the PSU, authorised by SCA through the same redirect pages — and `POST /v1/funds-confirmations`
 * under it (Consent-ID), answering yes or no through the same funds module as the UK CBPII API.
 */
export async function fundsConfirmationRoutes(app: FastifyInstance, options: FundsConfirmationRoutesOptions): Promise<void> {
  const { funds, wire, publicUrl, security, now } = options;
  const own = (request: FastifyRequest, id: string) => funds.getConsentForClient(id, tppOf(request).clientId, now());

  app.post<{ Body: PiisConsentRequest }>(PIIS_CONSENTS_PATH, { onRequest: [...security, checkPsuIpAddress(true)], schema: { body: xs2aRequestSchema('consentsConfirmationOfFunds', 'piis-consent-v2') } }, async (request, reply) => {
    const body = request.body;
    for (const card of ['cardNumber', 'cardExpiryDate', 'cardInformation'] as const) {
      if (body[card] !== undefined) throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: `${card}: this bank issues no cards for funds confirmation`, details: [{ path: card }] });
    }
    const at = now();
    const redirect = redirectUrisOf(request);
    const consent = await funds.stageConsent({ clientId: tppOf(request).clientId, debtor: { scheme: 'IBAN', identification: ibanOf(body.account, 'account') }, alongside: wire.keep('consent', body as unknown as Record<string, unknown>, at) }, at);
    const _links = await answerCreated(request, reply, { psuAuthorisation: options.psuAuthorisation, publicUrl, path: `${PIIS_CONSENTS_PATH}/${encodeURIComponent(consent.id)}`, consent, redirect, at });
    return { consentStatus: 'received', consentId: consent.id, _links };
  });

  app.get<{ Params: { consentId: string } }>(`${PIIS_CONSENTS_PATH}/:consentId`, { onRequest: security }, async (request) => {
    const [consent, kept] = await Promise.all([own(request, request.params.consentId), wire.find('consent', request.params.consentId)]);
    return { account: (kept as unknown as PiisConsentRequest | undefined)?.account ?? {}, consentStatus: xs2aConsentStatus(consent), ...(consent.expiresAt ? { validUntil: utcDayOf(consent.expiresAt) } : {}) };
  });

  app.get<{ Params: { consentId: string } }>(`${PIIS_CONSENTS_PATH}/:consentId/status`, { onRequest: security }, async (request) => ({ consentStatus: xs2aConsentStatus(await own(request, request.params.consentId)) }));

  app.delete<{ Params: { consentId: string } }>(`${PIIS_CONSENTS_PATH}/:consentId`, { onRequest: security }, async (request, reply) => {
    await funds.revokeConsent(request.params.consentId, tppOf(request).clientId, now());
    return reply.status(204).send();
  });

  await app.register(authorisationRoutes, {
    psuAuthorisation: options.psuAuthorisation,
    publicUrl,
    resourcePath: `${PIIS_CONSENTS_PATH}/:resourceId`,
    segment: 'authorisations',
    purpose: 'authorise',
    security,
    now,
    consentIdOf: async (request, id) => (await own(request, id)).id,
  });

  // The account asked about must be the consent's: a consent for one account answers for no other.
  app.post<{ Body: FundsConfirmationRequest }>(
    FUNDS_CONFIRMATIONS_PATH,
    { onRequest: [...security, checkConsentValid(options.consents, now, 'funds-confirmation')], schema: { body: xs2aRequestSchema('confirmationOfFunds') } },
    async (request) => {
      const consent = consentOf(request);
      const kept = (await wire.find('consent', consent.id)) as unknown as PiisConsentRequest | undefined;
      const asked = ibanOf(request.body.account, 'account');
      if (!kept?.account.iban || compact(kept.account.iban) !== compact(asked)) throw new AppError(Xs2aErrors.CONSENT_NOT_FOR_ACCOUNT, { details: [{ path: 'account' }] });
      const { amount, currency } = request.body.instructedAmount;
      const confirmation = await funds.confirmFunds(consent, { consentId: consent.id, reference: headerOf(request, 'x-request-id') ?? consent.id, amount: { decimal: amount, currency } }, now());
      return { fundsAvailable: confirmation.fundsAvailable };
    },
  );
}
