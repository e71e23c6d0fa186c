import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConsentKind, ConsentsApi } from '../../../../modules/consents/index.ts';
import type { PsuAuthorisationApi } from '../../../../modules/psu-authorisation/index.ts';
import { SigningBasketErrors, type SigningBasket, type SigningBasketStatus, type SigningBasketsApi } from '../../../../modules/signing-baskets/index.ts';
import { AppError, isAppError } from '../../../../platform/errors/index.ts';
import { answerCreated, authorisationRoutes } from '../authorisations/xs2a-authorisations.ts';
import { checkPsuIpAddress, redirectUrisOf } from '../security/request-headers.ts';
import { tppOf, type Xs2aStep } from '../security/xs2a-context.ts';
import { xs2aRequestSchema } from '../xs2a-request-validation.ts';

export const SIGNING_BASKETS_PATH = '/berlin-group/v1/signing-baskets';

/** `signingBasket`: the TPP's payments and consents to authorise with one SCA. */
interface SigningBasketRequest {
  readonly paymentIds?: readonly string[];
  readonly consentIds?: readonly string[];
}

/** The neutral consents a `paymentId` names (single, periodic and bulk payments); any other consent is a `consentId`. */
const PAYMENT_KINDS: ReadonlySet<ConsentKind> = new Set(['domestic-payment', 'domestic-scheduled-payment', 'domestic-standing-order', 'file-payment']);

/** `transactionStatus_SBS`: RCVD until the PSU authorises the basket, then ACTC; RJCT when nothing of it could be authorised, CANC once the TPP deleted it. */
const TRANSACTION_STATUS: Record<SigningBasketStatus, string> = { 'awaiting-authorisation': 'RCVD', authorised: 'ACTC', rejected: 'RJCT', cancelled: 'CANC' };

export interface SigningBasketsRoutesOptions {
  readonly signingBaskets: Pick<SigningBasketsApi, 'create' | 'findForClient' | 'cancelForClient'>;
  readonly consents: Pick<ConsentsApi, 'kindsOf'>;
  readonly psuAuthorisation: Pick<PsuAuthorisationApi, 'startSca' | 'findScaOfClient' | 'listScaIds'>;
  readonly publicUrl: string;
  /** The TPP's identification (QWAC with any PSD2 role: a basket holds payments, consents or both). */
  readonly security: Xs2aStep[];
  readonly now: () => Date;
}

/** Where a member of the request sits on the wire: `paymentIds[i]` or `consentIds[i]`. */
function memberPath(body: SigningBasketRequest, index: number): string {
  const payments = body.paymentIds?.length ?? 0;
  return index < payments ? `paymentIds[${index}]` : `consentIds[${index - payments}]`;
}

/**
 * NextGenPSD2 Signing Baskets Service (§8): the TPP groups payments and consents of its own that
 * await authorisation, and the PSU authorises them all with one SCA on the bank's pages (the
 * `authorise-basket` SCA of the psu-authorisation module, over the signing-baskets module). Create
 * (with the SCA started at once unless the TPP prefers to start it), read, status, delete (before
 * authorisation; the members stay and can be authorised alone), and the authorisation
 * sub-resources. A payment named as a consent, or a consent as a payment, is unknown.
 */
export async function signingBasketsRoutes(app: FastifyInstance, options: SigningBasketsRoutesOptions): Promise<void> {
  const { signingBaskets, consents, publicUrl, security, now } = options;
  const pathOf = (id: string) => `${SIGNING_BASKETS_PATH}/${encodeURIComponent(id)}`;
  /** The TPP's own basket; unknown and foreign alike 403 RESOURCE_UNKNOWN. */
  const own = (request: FastifyRequest, id: string) => signingBaskets.findForClient(id, tppOf(request).clientId);

  app.post<{ Body: SigningBasketRequest }>(SIGNING_BASKETS_PATH, { onRequest: [...security, checkPsuIpAddress(true)], schema: { body: xs2aRequestSchema('signingBasket') } }, async (request, reply) => {
    const body = request.body;
    const consentIds = [...(body.paymentIds ?? []), ...(body.consentIds ?? [])];
    const kinds = await consents.kindsOf(consentIds);
    const payments = body.paymentIds?.length ?? 0;
    consentIds.forEach((id, index) => {
      const kind = kinds.get(id);
      if (kind === undefined || PAYMENT_KINDS.has(kind) !== index < payments) throw new AppError(SigningBasketErrors.MEMBER_UNKNOWN, { details: [{ path: memberPath(body, index) }] });
    });
    const at = now();
    const basket = await signingBaskets.create({ clientId: tppOf(request).clientId, consentIds }, at).catch((error: unknown) => {
      const index = isAppError(error) ? error.details[0]?.index : undefined;
      throw index === undefined || !isAppError(error) ? error : new AppError(error.definition, { message: error.message, details: [{ path: memberPath(body, index) }] });
    });
    const _links = await answerCreated(request, reply, {
      psuAuthorisation: options.psuAuthorisation,
      publicUrl,
      path: pathOf(basket.id),
      consent: { id: basket.id, clientId: basket.clientId, status: 'awaiting-authorisation' },
      redirect: redirectUrisOf(request),
      at,
      purpose: 'authorise-basket',
    });
    return { transactionStatus: TRANSACTION_STATUS[basket.status], basketId: basket.id, _links };
  });

  app.get<{ Params: { basketId: string } }>(`${SIGNING_BASKETS_PATH}/:basketId`, { onRequest: security }, async (request) => {
    const basket = await own(request, request.params.basketId);
    return basketInformation(basket, await consents.kindsOf(basket.consentIds), new URL(pathOf(basket.id), publicUrl).toString());
  });

  app.get<{ Params: { basketId: string } }>(`${SIGNING_BASKETS_PATH}/:basketId/status`, { onRequest: security }, async (request) => ({
    transactionStatus: TRANSACTION_STATUS[(await own(request, request.params.basketId)).status],
  }));

  app.delete<{ Params: { basketId: string } }>(`${SIGNING_BASKETS_PATH}/:basketId`, { onRequest: security }, async (request, reply) => {
    await signingBaskets.cancelForClient(request.params.basketId, tppOf(request).clientId, now());
    return reply.status(204).send();
  });

  await app.register(authorisationRoutes, {
    psuAuthorisation: options.psuAuthorisation,
    publicUrl,
    resourcePath: `${SIGNING_BASKETS_PATH}/:resourceId`,
    segment: 'authorisations',
    purpose: 'authorise-basket',
    security,
    now,
    consentIdOf: async (request, id) => (await own(request, id)).id,
  });
}

/** `signingBasketResponse-200`: the members as payments and consents, the status, and the links. */
function basketInformation(basket: SigningBasket, kinds: ReadonlyMap<string, ConsentKind>, self: string) {
  const payments = basket.consentIds.filter((id) => PAYMENT_KINDS.has(kinds.get(id)!));
  const others = basket.consentIds.filter((id) => !PAYMENT_KINDS.has(kinds.get(id)!));
  return {
    ...(payments.length > 0 ? { payments } : {}),
    ...(others.length > 0 ? { consents: others } : {}),
    transactionStatus: TRANSACTION_STATUS[basket.status],
    _links: {
      self: { href: self },
      status: { href: `${self}/status` },
      ...(basket.status === 'awaiting-authorisation' ? { startAuthorisation: { href: `${self}/authorisations` } } : {}),
    },
  };
}
