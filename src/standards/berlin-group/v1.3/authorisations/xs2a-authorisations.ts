import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Consent } from '../../../../modules/consents/index.ts';
import type { PsuAuthorisationApi, ScaAuthorisation, ScaPurpose } from '../../../../modules/psu-authorisation/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { xs2aScaStatus } from '../consents/xs2a-consent-status.ts';
import { explicitAuthorisationPreferred, redirectUrisOf } from '../security/request-headers.ts';
import { tppOf, type Xs2aStep } from '../security/xs2a-context.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';

/** Where the PSU completes an SCA the redirect approach hands them to (src/ui/psu). */
export const scaRedirectUrl = (publicUrl: string, scaId: string) => new URL(`/psu/authorisations/${encodeURIComponent(scaId)}`, publicUrl).toString();

/** `ASPSP-SCA-Approach`: the redirect approach is the one this bank offers (embedded is not; decoupled is optional and not offered). */
export const SCA_APPROACH = 'REDIRECT';

export interface AuthorisationRoutesOptions {
  readonly psuAuthorisation: Pick<PsuAuthorisationApi, 'startSca' | 'findScaOfClient' | 'listScaIds'>;
  readonly publicUrl: string;
  /** The resource's path with `:resourceId` for its id, e.g. `/berlin-group/v1/consents/:resourceId`. */
  readonly resourcePath: string;
  /** `authorisations` or `cancellation-authorisations`. */
  readonly segment: 'authorisations' | 'cancellation-authorisations';
  readonly purpose: ScaPurpose;
  readonly security: Xs2aStep[];
  /** The neutral consent behind the path's resource (a payment's consent), the TPP's own or an error. */
  consentIdOf(request: FastifyRequest, resourceId: string): Promise<string>;
  /** Refuses to start an SCA the resource cannot take now (a payment no longer cancellable). */
  beforeStart?(request: FastifyRequest, resourceId: string): Promise<void>;
  readonly now: () => Date;
}

/** The links of a started SCA (`_linksStartScaProcess`). */
export function startedScaBody(sca: ScaAuthorisation, publicUrl: string, scaStatusPath: string) {
  return {
    scaStatus: xs2aScaStatus(sca.status),
    authorisationId: sca.id,
    _links: { scaRedirect: { href: scaRedirectUrl(publicUrl, sca.id) }, scaStatus: { href: new URL(scaStatusPath, publicUrl).toString() } },
  };
}

/**
 * The answer to a request that created a consent, payment or signing basket: 201 with Location and
 * ASPSP-SCA-Approach, and its links — the SCA started at once (`scaRedirect`, `scaStatus`), or
 * `startAuthorisation` where the TPP prefers to start it or the resource awaits no authorisation
 * (a repeated request answered with what the first created).
 */
export async function answerCreated(
  request: FastifyRequest,
  reply: FastifyReply,
  created: {
    readonly psuAuthorisation: Pick<PsuAuthorisationApi, 'startSca'>;
    readonly publicUrl: string;
    /** The resource's path (`/berlin-group/v1/consents/{id}`). */
    readonly path: string;
    readonly consent: Pick<Consent, 'id' | 'clientId' | 'status'>;
    readonly redirect: ReturnType<typeof redirectUrisOf>;
    readonly at: Date;
    /** What the SCA started at once authorises: the consent (default), or a signing basket. */
    readonly purpose?: Extract<ScaPurpose, 'authorise' | 'authorise-basket'>;
  },
): Promise<Record<string, { href: string }>> {
  const self = new URL(created.path, created.publicUrl).toString();
  const links = { self: { href: self }, status: { href: `${self}/status` } };
  reply.status(201).header('location', self).header('aspsp-sca-approach', SCA_APPROACH);
  if (explicitAuthorisationPreferred(request) || created.consent.status !== 'awaiting-authorisation') return { ...links, startAuthorisation: { href: `${self}/authorisations` } };
  const { consent } = created;
  const sca = await created.psuAuthorisation.startSca({ consentId: consent.id, clientId: consent.clientId, purpose: created.purpose ?? 'authorise', ...created.redirect }, created.at);
  return { ...links, ...startedScaBody(sca, created.publicUrl, `${created.path}/authorisations/${encodeURIComponent(sca.id)}`)._links };
}

/**
 * The authorisation sub-resources of a consent or payment (NextGenPSD2 §6.x "Start
 * Authorisation", "Get Authorisation Sub-Resources", "Get SCA Status"): the TPP starts an SCA
 * (explicit start), lists them and reads each one's `scaStatus`. Updating PSU data (`PUT`) belongs
 * to the embedded and decoupled approaches, which this bank does not offer: 405 SERVICE_INVALID.
 */
export async function authorisationRoutes(app: FastifyInstance, options: AuthorisationRoutesOptions): Promise<void> {
  const { psuAuthorisation, publicUrl, resourcePath, segment, purpose, security, now } = options;
  const collection = `${resourcePath}/${segment}`;
  type Params = { resourceId: string; authorisationId?: string };
  const statusPath = (request: FastifyRequest, id: string) => `${request.url.split('?')[0]!.replace(/\/+$/, '').replace(new RegExp(`/${segment}.*$`), '')}/${segment}/${encodeURIComponent(id)}`;

  app.post<{ Params: Params }>(collection, { onRequest: security }, async (request, reply) => {
    const consentId = await options.consentIdOf(request, request.params.resourceId);
    const redirect = redirectUrisOf(request);
    await options.beforeStart?.(request, request.params.resourceId);
    const sca = await psuAuthorisation.startSca({ consentId, clientId: tppOf(request).clientId, purpose, ...redirect }, now());
    return reply.status(201).header('aspsp-sca-approach', SCA_APPROACH).send(startedScaBody(sca, publicUrl, statusPath(request, sca.id)));
  });

  app.get<{ Params: Params }>(collection, { onRequest: security }, async (request) => {
    const consentId = await options.consentIdOf(request, request.params.resourceId);
    return { authorisationIds: await psuAuthorisation.listScaIds({ consentId, clientId: tppOf(request).clientId, purpose }) };
  });

  app.get<{ Params: Params }>(`${collection}/:authorisationId`, { onRequest: security }, async (request) => {
    const consentId = await options.consentIdOf(request, request.params.resourceId);
    const sca = await psuAuthorisation.findScaOfClient({ id: request.params.authorisationId ?? '', consentId, clientId: tppOf(request).clientId, purpose }, now());
    return { scaStatus: xs2aScaStatus(sca.status) };
  });

  app.put<{ Params: Params }>(`${collection}/:authorisationId`, { onRequest: security }, async (request) => {
    await options.consentIdOf(request, request.params.resourceId);
    throw new AppError(Xs2aErrors.SERVICE_INVALID, { message: 'PSU data is not updated through the API: this bank offers the redirect SCA approach (follow scaRedirect)' });
  });
}
