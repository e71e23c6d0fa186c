import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Consent, ConsentsApi } from '../../../../modules/consents/index.ts';
import { requestHash } from '../../../../modules/idempotency/index.ts';
import type { PaymentsApi } from '../../../../modules/payments/index.ts';
import type { PsuAuthorisationApi } from '../../../../modules/psu-authorisation/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { rawBodyOf } from '../../../../platform/http/index.ts';
import type { Xs2aWireStore } from '../_wire/xs2a-wire-store.ts';
import { answerCreated, authorisationRoutes } from '../authorisations/xs2a-authorisations.ts';
import { isoDate } from '../consents/xs2a-consent-status.ts';
import { checkPsuIpAddress, redirectUrisOf } from '../security/request-headers.ts';
import { headerOf, tppOf, type Xs2aStep } from '../security/xs2a-context.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { xs2aRequestSchema } from '../xs2a-request-validation.ts';
import { bulkFileTermsOf, readXs2aBulk, xs2aBulkStatus, type Xs2aBulkPaymentInitiation } from './xs2a-bulk-payment.ts';
import { standingOrderTermsOfXs2a, xs2aPeriodicStatus, type Xs2aPeriodicPaymentInitiation } from './xs2a-periodic-payment.ts';
import { paymentProductOf, paymentTermsOfXs2a, xs2aTransactionStatus, type PaymentProduct, type Xs2aPaymentInitiation } from './xs2a-payment-initiation.ts';

/** The payment services served: single payments, periodic payments (standing orders) and bulk payments (files of payments). */
export type PaymentService = 'payments' | 'periodic-payments' | 'bulk-payments';

export type Xs2aPaymentsApi = Pick<
  PaymentsApi,
  'stageDomesticPaymentConsent' | 'stageDomesticStandingOrderConsent' | 'stageFilePaymentConsent' | 'uploadPaymentFile' | 'findPaymentOfConsent' | 'findStandingOrderOfConsent' | 'findFilePaymentOfConsent'
>;
type StagedRequest = Omit<Parameters<Xs2aPaymentsApi['stageDomesticPaymentConsent']>[0], 'terms'>;

/** What differs between the services: the body, the neutral consent staged, and the status. */
interface ServiceRules {
  readonly kind: 'domestic-payment' | 'domestic-standing-order' | 'file-payment';
  readonly bodySchema: string;
  stage(payments: Xs2aPaymentsApi, request: StagedRequest, initiation: { product: PaymentProduct; body: unknown; raw: Buffer }, at: Date): Promise<Consent>;
  status(payments: Xs2aPaymentsApi, consent: Consent): Promise<string>;
}

const SERVICES: Record<PaymentService, ServiceRules> = {
  payments: {
    kind: 'domestic-payment',
    bodySchema: 'paymentInitiation_json',
    stage: (payments, request, { product, body }, at) => payments.stageDomesticPaymentConsent({ ...request, terms: paymentTermsOfXs2a(product, body as Xs2aPaymentInitiation, isoDate(at)) }, at),
    status: async (payments, consent) => xs2aTransactionStatus(consent, await payments.findPaymentOfConsent(consent.id, consent.clientId)),
  },
  'periodic-payments': {
    kind: 'domestic-standing-order',
    bodySchema: 'periodicPaymentInitiation_json',
    stage: (payments, request, { product, body }, at) => payments.stageDomesticStandingOrderConsent({ ...request, terms: standingOrderTermsOfXs2a(product, body as Xs2aPeriodicPaymentInitiation, at) }, at),
    status: async (payments, consent) => xs2aPeriodicStatus(consent, await payments.findStandingOrderOfConsent(consent.id, consent.clientId)),
  },
  'bulk-payments': {
    kind: 'file-payment',
    bodySchema: 'bulkPaymentInitiation_json',
    // The body is the file: declared, then uploaded as sent (both idempotent by the request id, so a retry completes a half-done one).
    stage: async (payments, request, { product, body, raw }, at) => {
      const declared = await payments.stageFilePaymentConsent({ ...request, terms: bulkFileTermsOf(product, body as Xs2aBulkPaymentInitiation, raw, isoDate(at)) }, at);
      if (declared.status !== 'awaiting-upload') return declared;
      return payments.uploadPaymentFile({ clientId: request.clientId, consentId: declared.id, idempotencyKey: request.idempotencyKey, content: raw, contentType: 'application/json', read: readXs2aBulk }, at);
    },
    status: async (payments, consent) => xs2aBulkStatus(consent, await payments.findFilePaymentOfConsent(consent.id, consent.clientId)),
  },
};

export interface PaymentsRoutesOptions {
  readonly service: PaymentService;
  readonly consents: Pick<ConsentsApi, 'findForClient' | 'revokeForClient'>;
  readonly payments: Xs2aPaymentsApi;
  readonly psuAuthorisation: Pick<PsuAuthorisationApi, 'startSca' | 'findScaOfClient' | 'listScaIds'>;
  readonly wire: Xs2aWireStore;
  readonly publicUrl: string;
  /** The TPP's identification (QWAC with the PISP role). */
  readonly security: Xs2aStep[];
  readonly now: () => Date;
}

type Params = { product: string; paymentId: string };

/**
 * NextGenPSD2 single and periodic payments (§5.3, §5.3.3): initiation in one step — the payment is created with its
 * SCA, executed by the payments module (the same saga, ledger and idempotency as the UK API) as
 * soon as the PSU authorises it (`executeXs2aPaymentsOnAuthorisation`) — then its status,
 * its initiation as sent, cancellation before authorisation, and the authorisation sub-resources.
 * The paymentId is the neutral payment consent's id. A repeat of the same X-Request-ID with the
 * same body answers with the payment the first created (it is the idempotency key).
 */
export async function paymentsRoutes(app: FastifyInstance, options: PaymentsRoutesOptions): Promise<void> {
  const { consents, payments, wire, publicUrl, security, now } = options;
  const rules = SERVICES[options.service];
  const PAYMENTS_PATH = `/berlin-group/v1/${options.service}`;
  const pathOf = (product: string, id: string) => `${PAYMENTS_PATH}/${encodeURIComponent(product)}/${encodeURIComponent(id)}`;
  /** The TPP's own payment of this product; another TPP's, or another product's, is unknown. */
  const own = async (request: FastifyRequest, params: { product: string; paymentId: string }) => {
    const product = paymentProductOf(params.product);
    const [consent, kept] = await Promise.all([
      consents.findForClient({ id: params.paymentId, clientId: tppOf(request).clientId, kind: rules.kind }, now()).catch((error: unknown) => {
        throw error instanceof AppError ? new AppError(Xs2aErrors.PAYMENT_UNKNOWN) : error;
      }),
      wire.find('payment', params.paymentId),
    ]);
    if (!kept || kept['product'] !== product || kept['service'] !== options.service) throw new AppError(Xs2aErrors.PAYMENT_UNKNOWN);
    return { consent, initiation: kept['initiation'] as Xs2aPaymentInitiation };
  };

  app.post<{ Params: { product: string }; Body: Xs2aPaymentInitiation }>(
    `${PAYMENTS_PATH}/:product`,
    { onRequest: [...security, checkPsuIpAddress(true)], schema: { body: xs2aRequestSchema(rules.bodySchema) } },
    async (request, reply) => {
      const product = paymentProductOf(request.params.product);
      const at = now();
      const redirect = redirectUrisOf(request);
      const body = request.body;
      const kept = { service: options.service, product, initiation: body };
      const consent = await rules.stage(
        payments,
        { clientId: tppOf(request).clientId, idempotencyKey: headerOf(request, 'x-request-id'), requestHash: requestHash(kept), alongside: wire.keep('payment', kept, at) },
        { product, body, raw: rawBodyOf(request) },
        at,
      );
      const _links = await answerCreated(request, reply, { psuAuthorisation: options.psuAuthorisation, publicUrl, path: pathOf(product, consent.id), consent, redirect, at });
      return { transactionStatus: xs2aTransactionStatus(consent, undefined), paymentId: consent.id, _links };
    },
  );

  app.get<{ Params: Params }>(`${PAYMENTS_PATH}/:product/:paymentId`, { onRequest: security }, async (request) => {
    const { consent, initiation } = await own(request, request.params);
    return { ...initiation, transactionStatus: await rules.status(payments, consent) };
  });

  app.get<{ Params: Params }>(`${PAYMENTS_PATH}/:product/:paymentId/status`, { onRequest: security }, async (request) => {
    const { consent } = await own(request, request.params);
    return { transactionStatus: await rules.status(payments, consent) };
  });

  // A payment can be cancelled until the PSU authorised it; once authorised it is executed (a
  // periodic payment's order is set up and runs to its end: stopping one is not offered).
  app.delete<{ Params: Params }>(`${PAYMENTS_PATH}/:product/:paymentId`, { onRequest: security }, async (request, reply) => {
    const { consent } = await own(request, request.params);
    if (consent.status !== 'awaiting-authorisation') throw new AppError(Xs2aErrors.CANCELLATION_INVALID);
    await consents.revokeForClient({ id: consent.id, clientId: consent.clientId, kind: rules.kind }, now());
    return reply.status(204).send();
  });

  await app.register(authorisationRoutes, {
    psuAuthorisation: options.psuAuthorisation,
    publicUrl,
    resourcePath: `${PAYMENTS_PATH}/:product/:resourceId`,
    segment: 'authorisations',
    purpose: 'authorise',
    security,
    now,
    consentIdOf: async (request, id) => (await own(request, { product: (request.params as { product: string }).product, paymentId: id })).consent.id,
  });
}
