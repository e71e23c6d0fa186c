import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessScopeOf, type Consent, type ConsentsApi } from '../../../../modules/consents/index.ts';
import type { PsuAuthorisationApi } from '../../../../modules/psu-authorisation/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import type { Xs2aWireStore } from '../_wire/xs2a-wire-store.ts';
import { answerCreated, authorisationRoutes } from '../authorisations/xs2a-authorisations.ts';
import { checkPsuIpAddress, redirectUrisOf } from '../security/request-headers.ts';
import { tppOf, type Xs2aStep } from '../security/xs2a-context.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { xs2aRequestSchema } from '../xs2a-request-validation.ts';
import { accessScopeOfXs2a, type Xs2aAccountAccess } from './xs2a-access.ts';
import { xs2aConsentStatus } from './xs2a-consent-status.ts';
import { utcDayOf } from '../../../../platform/calendar/index.ts';

export const CONSENTS_PATH = '/berlin-group/v1/consents';

/** PSD2 RTS Art. 36(5)(b): at most four reads a day without the PSU. */
const MAX_UNATTENDED_PER_DAY = 4;
/** PSD2 RTS Art. 10a: the PSU authenticates again at least every 180 days. */
const MAX_VALIDITY_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

interface ConsentRequest {
  readonly access: Xs2aAccountAccess;
  readonly recurringIndicator: boolean;
  readonly validUntil: string;
  readonly frequencyPerDay: number;
  readonly combinedServiceIndicator: boolean;
}

export interface ConsentsRoutesOptions {
  readonly consents: Pick<ConsentsApi, 'create' | 'findForClient' | 'revokeForClient'>;
  readonly psuAuthorisation: Pick<PsuAuthorisationApi, 'startSca' | 'findScaOfClient' | 'listScaIds'>;
  readonly wire: Xs2aWireStore;
  readonly publicUrl: string;
  /** The TPP's identification (QWAC with the AISP role) and, where required, its request signature. */
  readonly security: Xs2aStep[];
  readonly now: () => Date;
}

/**
 * When the consent ends: the end of `validUntil` (UTC), no later than 180 days from now (the
 * Implementation Guidelines let the bank shorten it, and `9999-12-31` asks for the longest).
 */
function expiryOf(validUntil: string, now: Date): Date {
  const end = new Date(`${validUntil}T00:00:00.000Z`).getTime() + DAY_MS;
  if (Number.isNaN(end)) throw new AppError(Xs2aErrors.PERIOD_INVALID, { details: [{ path: 'validUntil' }] });
  if (end <= now.getTime()) throw new AppError(Xs2aErrors.PERIOD_INVALID, { message: 'validUntil is in the past', details: [{ path: 'validUntil' }] });
  return new Date(Math.min(end, now.getTime() + MAX_VALIDITY_DAYS * DAY_MS));
}

/** The reads a day without the PSU: one for a one-off consent, at most four for a recurring one. */
function unattendedPerDayOf(body: ConsentRequest): number {
  if (!body.recurringIndicator && body.frequencyPerDay !== 1) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: 'A one-off consent (recurringIndicator false) has frequencyPerDay 1', details: [{ path: 'frequencyPerDay' }] });
  }
  if (!Number.isInteger(body.frequencyPerDay) || body.frequencyPerDay < 1) throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { details: [{ path: 'frequencyPerDay' }] });
  return Math.min(body.frequencyPerDay, MAX_UNATTENDED_PER_DAY);
}

/**
 * NextGenPSD2 AIS consents (§6.3): create (with the SCA started at once unless the TPP prefers to
 * start it explicitly), read, status, delete, and the authorisation sub-resources — over the neutral
 * consents module, the same consents the UK API and the PSU's dashboard see.
 */
export async function consentsRoutes(app: FastifyInstance, options: ConsentsRoutesOptions): Promise<void> {
  const { consents, wire, publicUrl, security, now } = options;
  const self = (id: string) => new URL(`${CONSENTS_PATH}/${encodeURIComponent(id)}`, publicUrl).toString();
  const own = (request: FastifyRequest, id: string) => consents.findForClient({ id, clientId: tppOf(request).clientId, kind: 'account-access' }, now());

  app.post<{ Body: ConsentRequest }>(CONSENTS_PATH, { onRequest: [...security, checkPsuIpAddress(true)], schema: { body: xs2aRequestSchema('consents') } }, async (request, reply) => {
    const body = request.body;
    if (body.combinedServiceIndicator) throw new AppError(Xs2aErrors.SESSIONS_NOT_SUPPORTED, { details: [{ path: 'combinedServiceIndicator' }] });
    const at = now();
    const redirect = redirectUrisOf(request);
    const consent = await consents.create(
      { kind: 'account-access', clientId: tppOf(request).clientId, access: accessScopeOfXs2a(body.access, unattendedPerDayOf(body)), expiresAt: expiryOf(body.validUntil, at) },
      at,
      wire.keep('consent', body as unknown as Record<string, unknown>, at),
    );
    const _links = await answerCreated(request, reply, { psuAuthorisation: options.psuAuthorisation, publicUrl, path: `${CONSENTS_PATH}/${encodeURIComponent(consent.id)}`, consent, redirect, at });
    return { consentStatus: 'received', consentId: consent.id, _links };
  });

  app.get<{ Params: { consentId: string } }>(`${CONSENTS_PATH}/:consentId`, { onRequest: security }, async (request) => {
    const [consent, kept] = await Promise.all([own(request, request.params.consentId), wire.find('consent', request.params.consentId)]);
    return consentInformation(consent, kept as Partial<ConsentRequest> | undefined, self(consent.id));
  });

  app.get<{ Params: { consentId: string } }>(`${CONSENTS_PATH}/:consentId/status`, { onRequest: security }, async (request) => ({ consentStatus: xs2aConsentStatus(await own(request, request.params.consentId)) }));

  app.delete<{ Params: { consentId: string } }>(`${CONSENTS_PATH}/:consentId`, { onRequest: security }, async (request, reply) => {
    await consents.revokeForClient({ id: request.params.consentId, clientId: tppOf(request).clientId, kind: 'account-access' }, now());
    return reply.status(204).send();
  });

  await app.register(authorisationRoutes, {
    psuAuthorisation: options.psuAuthorisation,
    publicUrl,
    resourcePath: `${CONSENTS_PATH}/:resourceId`,
    segment: 'authorisations',
    purpose: 'authorise',
    security,
    now,
    consentIdOf: async (request, id) => (await own(request, id)).id,
  });
}

/** `consentInformationResponse-200_json`: the access as requested, and the consent as it stands. */
function consentInformation(consent: Consent, kept: Partial<ConsentRequest> | undefined, self: string) {
  const scope = accessScopeOf(consent);
  return {
    access: kept?.access ?? {},
    recurringIndicator: kept?.recurringIndicator ?? true,
    validUntil: consent.expiresAt ? utcDayOf(new Date(consent.expiresAt.getTime() - 1)) : '9999-12-31',
    frequencyPerDay: scope.unattendedPerDay ?? MAX_UNATTENDED_PER_DAY,
    lastActionDate: utcDayOf(consent.statusUpdatedAt),
    consentStatus: xs2aConsentStatus(consent),
    _links: { account: { href: new URL('/berlin-group/v1/accounts', self).toString() } },
  };
}
