import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Consent, ConsentKind, ConsentsApi } from '../../../../modules/consents/index.ts';
import { requestHash } from '../../../../modules/idempotency/index.ts';
import type { PaymentFileReader, PaymentsApi } from '../../../../modules/payments/index.ts';
import type { PsuAuthorisationApi } from '../../../../modules/psu-authorisation/index.ts';
import { AppError, isAppError } from '../../../../platform/errors/index.ts';
import { acceptRawBody, rawBodyOf } from '../../../../platform/http/index.ts';
import type { Xs2aWireStore } from '../_wire/xs2a-wire-store.ts';
import { answerCreated, authorisationRoutes } from '../authorisations/xs2a-authorisations.ts';
import { utcDayOf } from '../../../../platform/calendar/index.ts';
import { checkPsuIpAddress, redirectUrisOf } from '../security/request-headers.ts';
import { headerOf, tppOf, type Xs2aStep } from '../security/xs2a-context.ts';
import { acceptedMediaType } from '../xs2a-accept.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { xs2aRequestSchema } from '../xs2a-request-validation.ts';
import { bulkFileTermsOf, entriesOfXs2aBulk, productOfBulkFileType, readXs2aBulk, xs2aBulkStatus, type Xs2aBulkPaymentInitiation } from './xs2a-bulk-payment.ts';
import { standingOrderTermsOfXs2a, xs2aPeriodicStatus, type Xs2aPeriodicPaymentInitiation } from './xs2a-periodic-payment.ts';
import { futureExecutionOf, paymentTermsOfXs2a, productOfPath, xs2aTransactionStatus, type PaymentFormat, type PaymentProduct, type Xs2aPaymentInitiation } from './xs2a-payment-initiation.ts';
import { readPain001 } from './xs2a-pain001.ts';
import { inPain001Terms, layoutOf, pain001Initiation, readXs2aPain001Bulk, type Pain001Layout, type Pain001Service } from './xs2a-pain001-initiation.ts';
import { pain001ReferenceOf, pain002Of, type Pain001Reference } from './xs2a-pain002.ts';
import { inPeriodicMultipartTerms, readPeriodicMultipart } from './xs2a-periodic-multipart.ts';
import { xs2aPaymentStatus, type Xs2aTppMessage } from './xs2a-payment-status.ts';

/** The payment services served: single payments, periodic payments (standing orders) and bulk payments (files of payments). */
export type PaymentService = 'payments' | 'periodic-payments' | 'bulk-payments';

export type Xs2aPaymentsApi = Pick<
  PaymentsApi,
  | 'stageDomesticPaymentConsent'
  | 'stageDomesticScheduledPaymentConsent'
  | 'stageDomesticStandingOrderConsent'
  | 'stageFilePaymentConsent'
  | 'uploadPaymentFile'
  | 'findPaymentOfConsent'
  | 'findStandingOrderOfConsent'
  | 'findFilePaymentOfConsent'
  | 'checkPaymentOrderCancellable'
>;
type StagedRequest = Omit<Parameters<Xs2aPaymentsApi['stageDomesticPaymentConsent']>[0], 'terms'>;

/**
 * The idempotency scope of single payments, immediate and future-dated alike: one key space, so an
 * X-Request-ID reused with another body is refused whichever kind either asks for.
 */
const SINGLE_PAYMENTS_SCOPE = 'xs2a-single-payments';

/**
 * A payment's status: its `transactionStatus`, why it was rejected where the bank knows
 * (xs2a-payment-status.ts), and each credit transfer's once they exist (for a pain.002).
 */
interface PaymentStatus {
  readonly status: string;
  readonly tppMessages?: readonly Xs2aTppMessage[] | undefined;
  readonly transfers?: readonly string[] | undefined;
}

/** What differs between the services: the body, the neutral consents staged, and the status. */
interface ServiceRules {
  /** The neutral consent kinds of the service's payments (a single payment: immediate or future-dated). */
  readonly kinds: readonly ConsentKind[];
  readonly bodySchema: string;
  /** Set where the service also takes the `pain.001-…` products' XML body. */
  readonly pain001?: Pain001Service;
  /** Set where the `pain.001-…` products' body is multipart: the pain.001 beside the standing order's terms (periodic payments). */
  readonly multipart?: true;
  stage(payments: Xs2aPaymentsApi, request: StagedRequest, initiation: { product: PaymentProduct; format: PaymentFormat; body: unknown; raw: Buffer }, at: Date): Promise<Consent>;
  status(payments: Xs2aPaymentsApi, consent: Consent): Promise<PaymentStatus>;
}

/** What the wire store keeps of a payment: its initiation in JSON members, and a pain.001 as sent. */
interface KeptPayment {
  readonly service: PaymentService;
  readonly product: PaymentProduct;
  readonly initiation: Xs2aPaymentInitiation;
  readonly format?: 'pain.001';
  /** The body as sent: the pain.001 document, or a periodic payment's multipart body. */
  readonly document?: string;
  /** A multipart body's media type, its boundary included (absent: `application/xml`). */
  readonly mediaType?: string;
  readonly pain001?: Pain001Reference;
}

const MEDIA_TYPES: Readonly<Record<PaymentFormat, string>> = { json: 'application/json', 'pain.001': 'application/xml' };
/** A periodic payment's pain.001 body: the document and the standing order's terms, as two parts. */
const MULTIPART = 'multipart/form-data';

const SERVICES: Record<PaymentService, ServiceRules> = {
  payments: {
    kinds: ['domestic-payment', 'domestic-scheduled-payment'],
    bodySchema: 'paymentInitiation_json',
    pain001: 'payments',
    // Today: executed at once; a later requestedExecutionDate: a scheduled payment, authorised now, executed on its date.
    stage: (payments, request, { product, body }, at) => {
      const initiation = body as Xs2aPaymentInitiation;
      const terms = paymentTermsOfXs2a(product, initiation);
      const executeAt = futureExecutionOf(initiation, utcDayOf(at));
      const scoped = { ...request, idempotencyScope: SINGLE_PAYMENTS_SCOPE };
      return executeAt ? payments.stageDomesticScheduledPaymentConsent({ ...scoped, terms, requestedExecutionAt: executeAt }, at) : payments.stageDomesticPaymentConsent({ ...scoped, terms }, at);
    },
    status: async (payments, consent) => {
      const payment = await payments.findPaymentOfConsent(consent.id, consent.clientId);
      const status = xs2aTransactionStatus(consent, payment);
      return { status, tppMessages: xs2aPaymentStatus(status, consent, payment).tppMessages, transfers: payment ? [status] : undefined };
    },
  },
  'periodic-payments': {
    kinds: ['domestic-standing-order'],
    bodySchema: 'periodicPaymentInitiation_json',
    multipart: true,
    stage: (payments, request, { product, body }, at) => payments.stageDomesticStandingOrderConsent({ ...request, terms: standingOrderTermsOfXs2a(product, body as Xs2aPeriodicPaymentInitiation, at) }, at),
    status: async (payments, consent) => {
      const order = await payments.findStandingOrderOfConsent(consent.id, consent.clientId);
      const status = xs2aPeriodicStatus(consent, order);
      // An order that failed has no reason of its own: only a refusal before it was set up is told.
      return { status, tppMessages: order ? undefined : xs2aPaymentStatus(status, consent).tppMessages };
    },
  },
  'bulk-payments': {
    kinds: ['file-payment'],
    bodySchema: 'bulkPaymentInitiation_json',
    pain001: 'bulk-payments',
    // The body is the file: declared, then uploaded as sent (both idempotent by the request id, so a retry completes a half-done one).
    stage: async (payments, request, { product, format, body, raw }, at) => {
      const declared = await payments.stageFilePaymentConsent({ ...request, terms: bulkFileTermsOf(product, format, body as Xs2aBulkPaymentInitiation, raw, utcDayOf(at)) }, at);
      if (declared.status !== 'awaiting-upload') return declared;
      // A pain.001 was read once already (its XML parse is the costly step): the same bytes are not parsed again.
      const read: PaymentFileReader =
        format === 'json' ? readXs2aBulk : (content, fileType) => (content === raw ? entriesOfXs2aBulk(productOfBulkFileType(fileType, 'pain.001'), body as Xs2aBulkPaymentInitiation) : readXs2aPain001Bulk(content, fileType));
      return payments.uploadPaymentFile({ clientId: request.clientId, consentId: declared.id, idempotencyKey: request.idempotencyKey, content: raw, contentType: MEDIA_TYPES[format], read }, at);
    },
    status: async (payments, consent) => {
      const filePayment = await payments.findFilePaymentOfConsent(consent.id, consent.clientId);
      const status = xs2aBulkStatus(consent, filePayment);
      // Once submitted, each payment of the bulk has its own fate: only a refusal of the whole bulk is told.
      return {
        status,
        tppMessages: filePayment ? undefined : xs2aPaymentStatus(status, consent).tppMessages,
        transfers: filePayment?.payments.map((payment) => xs2aTransactionStatus(consent, payment)),
      };
    },
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
 * NextGenPSD2 single, periodic and bulk payments (§5.3, §5.3.3): initiation in one step — the payment is created with its
 * SCA, executed by the payments module (the same saga, ledger and idempotency as the UK API) as
 * soon as the PSU authorises it (`executeXs2aPaymentsOnAuthorisation`) — then its status,
 * its initiation as sent, its cancellation (before authorisation at once; a future-dated payment or
 * a periodic payment's order afterwards, confirmed by the PSU's SCA), and the authorisation and
 * cancellation-authorisation sub-resources.
 * The paymentId is the neutral payment consent's id. A repeat of the same X-Request-ID with the
 * same body answers with the payment the first created (it is the idempotency key). Single and
 * bulk payments also take the `pain.001-…` products: an ISO 20022 pain.001 body, read into the
 * JSON body's members and initiated as that body is; its status is also a pain.002. Periodic
 * payments take them as `multipart/form-data`: the pain.001 and the standing order's JSON terms.
 */
export async function paymentsRoutes(app: FastifyInstance, options: PaymentsRoutesOptions): Promise<void> {
  const { consents, payments, wire, publicUrl, security, now } = options;
  const rules = SERVICES[options.service];
  const PAYMENTS_PATH = `/berlin-group/v1/${options.service}`;
  const pathOf = (product: string, id: string) => `${PAYMENTS_PATH}/${encodeURIComponent(product)}/${encodeURIComponent(id)}`;
  const productOf = (value: string) => productOfPath(value, rules.pain001 !== undefined || rules.multipart === true);
  /** The media type of a body of `format` for this service. */
  const bodyMediaType = (format: PaymentFormat) => (format === 'pain.001' && rules.multipart ? MULTIPART : MEDIA_TYPES[format]);
  // A pain.001 body (or a multipart one) reaches the routes of this service as its bytes (the Digest covers them).
  if (rules.pain001) acceptRawBody(app, MEDIA_TYPES['pain.001']);
  if (rules.multipart) acceptRawBody(app, MULTIPART);
  /** The TPP's own payment of this product; another TPP's, or another product's, is unknown. */
  const own = async (request: FastifyRequest, params: { product: string; paymentId: string }) => {
    const { product, format } = productOf(params.product);
    const [consent, found] = await Promise.all([
      consents.findForClient({ id: params.paymentId, clientId: tppOf(request).clientId, kind: rules.kinds }, now()).catch((error: unknown) => {
        throw error instanceof AppError ? new AppError(Xs2aErrors.PAYMENT_UNKNOWN) : error;
      }),
      wire.find('payment', params.paymentId),
    ]);
    const kept = found as KeptPayment | undefined;
    if (!kept || kept.product !== product || kept.service !== options.service || (kept.format ?? 'json') !== format) throw new AppError(Xs2aErrors.PAYMENT_UNKNOWN);
    return { consent, kept };
  };

  app.post<{ Params: { product: string }; Body: Xs2aPaymentInitiation }>(
    `${PAYMENTS_PATH}/:product`,
    {
      // A product the service does not offer is refused before its body is read; the product decides the body's media type (415 for another).
      onRequest: [...security, checkPsuIpAddress(true), async (request) => void productOf((request.params as { product: string }).product)],
      preValidation: async (request) => {
        const { format } = productOf(request.params.product);
        const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (mediaType !== bodyMediaType(format)) throw new AppError(Xs2aErrors.MEDIA_TYPE_INVALID, { message: `The ${request.params.product.slice(0, 60)} product takes a ${bodyMediaType(format)} body here` });
      },
      schema: { body: { content: { 'application/json': { schema: xs2aRequestSchema(rules.bodySchema) } } } },
    },
    async (request, reply) => {
      const { product, format } = productOf(request.params.product);
      const at = now();
      const redirect = redirectUrisOf(request);
      const raw = rawBodyOf(request);
      let kept: KeptPayment;
      let layout: Pain001Layout | undefined;
      if (format === 'pain.001' && rules.multipart) {
        // NextGenPSD2 periodicPaymentInitiationMultipartBody: the payment as a pain.001 of one transfer, the order's terms beside it.
        const contentType = String(request.headers['content-type']);
        const { xml, standingOrder } = await readPeriodicMultipart(raw, contentType);
        const document = readPain001(xml);
        const initiation = { ...(pain001Initiation('payments', document, utcDayOf(at)) as Xs2aPaymentInitiation), ...standingOrder };
        kept = { service: options.service, product, initiation, format, document: raw.toString('utf8'), mediaType: contentType, pain001: pain001ReferenceOf(document) };
      } else if (format === 'pain.001') {
        const document = readPain001(raw);
        layout = layoutOf(document);
        const initiation = pain001Initiation(rules.pain001!, document, utcDayOf(at)) as Xs2aPaymentInitiation;
        kept = { service: options.service, product, initiation, format, document: raw.toString('utf8'), pain001: pain001ReferenceOf(document) };
      } else {
        kept = { service: options.service, product, initiation: request.body };
      }
      const staged = { clientId: tppOf(request).clientId, idempotencyKey: headerOf(request, 'x-request-id'), requestHash: requestHash(kept), alongside: wire.keep('payment', { ...kept }, at) };
      const consent = await Promise.resolve()
        .then(() => rules.stage(payments, staged, { product, format, body: kept.initiation, raw }, at))
        // The JSON rules' refusals of a pain.001 body name its elements (whether the rules throw at once or later).
        .catch((error: unknown) => Promise.reject(format !== 'pain.001' ? error : rules.multipart ? inPeriodicMultipartTerms(error) : inPain001Terms(rules.pain001!, error, layout)));
      const _links = await answerCreated(request, reply, { psuAuthorisation: options.psuAuthorisation, publicUrl, path: pathOf(request.params.product, consent.id), consent, redirect, at });
      return { transactionStatus: xs2aTransactionStatus(consent, undefined), paymentId: consent.id, _links };
    },
  );

  // A pain.001 payment reads as the document it was initiated with (application/xml).
  app.get<{ Params: Params }>(`${PAYMENTS_PATH}/:product/:paymentId`, { onRequest: security }, async (request, reply) => {
    const { consent, kept } = await own(request, request.params);
    if (kept.format === 'pain.001' && kept.mediaType) {
      acceptedMediaType(request.headers.accept, [MULTIPART]);
      return reply.type(kept.mediaType).send(kept.document);
    }
    if (kept.format === 'pain.001') {
      acceptedMediaType(request.headers.accept, ['application/xml']);
      return reply.type('application/xml; charset=utf-8').send(kept.document);
    }
    return { ...kept.initiation, ...statusAnswer(await rules.status(payments, consent)) };
  });

  // A pain.001 payment's status is also a pain.002 (`paymentInitiationStatusResponse-200_xml`), for a TPP whose Accept prefers it.
  app.get<{ Params: Params }>(`${PAYMENTS_PATH}/:product/:paymentId/status`, { onRequest: security }, async (request, reply) => {
    const { consent, kept } = await own(request, request.params);
    const format = kept.format === 'pain.001' ? acceptedMediaType(request.headers.accept, ['application/json', 'application/xml']) : 'application/json';
    const answer = await rules.status(payments, consent);
    if (format === 'application/xml' && kept.pain001) return reply.type('application/xml; charset=utf-8').send(pain002Of(kept.pain001, answer.status, answer.transfers, now()));
    return statusAnswer(answer);
  });

  /** The payment order an authorised payment made, if it can still be stopped; else 405 CANCELLATION_INVALID. */
  const cancellable = async (consent: Consent) => {
    try {
      await payments.checkPaymentOrderCancellable({ consentId: consent.id, clientId: consent.clientId });
    } catch (error) {
      throw isAppError(error) ? new AppError(Xs2aErrors.CANCELLATION_INVALID) : error;
    }
  };

  // NextGenPSD2 §5.5 "Payment Cancellation Request". A payment awaiting authorisation is cancelled
  // at once (204). An authorised future-dated payment, or a periodic payment's order, can be stopped
  // until it runs (its last instalment): that needs the PSU's SCA, so the answer is 202 with the
  // current status and `startAuthorisation` (the cancellation-authorisations resource); the
  // payment stays as it is until the PSU confirms. Anything else (a payment executed or executing,
  // a bulk) is 405 CANCELLATION_INVALID.
  app.delete<{ Params: Params }>(`${PAYMENTS_PATH}/:product/:paymentId`, { onRequest: security }, async (request, reply) => {
    const { consent } = await own(request, request.params);
    if (consent.status === 'awaiting-authorisation') {
      await consents.revokeForClient({ id: consent.id, clientId: consent.clientId, kind: consent.kind }, now());
      return reply.status(204).send();
    }
    await cancellable(consent);
    const self = new URL(pathOf(request.params.product, consent.id), publicUrl).toString();
    return reply.status(202).send({
      ...statusAnswer(await rules.status(payments, consent)),
      _links: { self: { href: self }, status: { href: `${self}/status` }, startAuthorisation: { href: `${self}/cancellation-authorisations` } },
    });
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

  // The cancellation's SCA (NextGenPSD2 §5.5, "Start Authorisation Process for a Cancellation"):
  // started only while the payment can still be stopped; the PSU confirms on the bank's pages.
  await app.register(authorisationRoutes, {
    psuAuthorisation: options.psuAuthorisation,
    publicUrl,
    resourcePath: `${PAYMENTS_PATH}/:product/:resourceId`,
    segment: 'cancellation-authorisations',
    purpose: 'cancel',
    security,
    now,
    consentIdOf: async (request, id) => (await own(request, { product: (request.params as { product: string }).product, paymentId: id })).consent.id,
    beforeStart: async (request, id) => cancellable((await own(request, { product: (request.params as { product: string }).product, paymentId: id })).consent),
  });
}

/** The JSON members of a payment's status: `transactionStatus`, and `tppMessages` when the bank tells why it was rejected. */
function statusAnswer({ status, tppMessages }: PaymentStatus): { transactionStatus: string; tppMessages?: readonly Xs2aTppMessage[] } {
  return tppMessages ? { transactionStatus: status, tppMessages } : { transactionStatus: status };
}
