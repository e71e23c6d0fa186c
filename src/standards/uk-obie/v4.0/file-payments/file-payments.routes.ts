import type { FastifyInstance } from 'fastify';
import { getFilePaymentForClient, submitFilePayment } from '../../../../modules/payments/index.ts';
import { fileConsentRequestOf } from '../file-payment-consents/file-payment-consents.schema.ts';
import { idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { PISP, pisLink, type PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { obConsentMatch } from '../_wire/ob-payment-instruction.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import {
  filePaymentIdParams,
  submitFilePaymentBody,
  toObFilePaymentDetailsResponse,
  toObFileReport,
  toObFileResponse,
  type FilePaymentIdParams,
  type ObWriteFile2,
} from './file-payments.schema.ts';

const PATH = `${PISP}/file-payments`;

/**
 * OB v4.0 `POST /file-payments` (the PSU's token for the authorised consent, signed request,
 * idempotent), `GET /file-payments/{FilePaymentId}`, `GET …/payment-details` and `GET
 * …/report-file` (the TPP's client-credentials token).
 */
export async function filePaymentsRoutes(app: FastifyInstance, context: PisRouteContext): Promise<void> {
  const self = (id: string) => pisLink(context, `/file-payments/${encodeURIComponent(id)}`);

  app.post<{ Body: ObWriteFile2 }>(
    PATH,
    // A repeat of the submission that consumed the consent must reach its idempotency check.
    { onRequest: context.psuSecurity({ acceptConsumed: true, kind: 'file-payment' }), preValidation: context.signedRequest, schema: { body: submitFilePaymentBody } },
    async (request, reply) => {
      const consent = authorisedConsentOf(request);
      const { filePayment } = await submitFilePayment(
        { db: context.db, cache: context.cache, core: context.core, onSubmitted: context.onPaymentSubmitted },
        {
          consent,
          consentId: request.body.Data.ConsentId,
          // OB v4.0: the Initiation of the file-payment matches that of its consent.
          match: obConsentMatch({ Initiation: request.body.Data.Initiation }, { Initiation: fileConsentRequestOf(consent).Data.Initiation }),
          request: request.body as unknown as Record<string, unknown>,
          idempotencyKey: idempotencyKeyOf(request.headers),
        },
        context.now(),
      );
      return reply.status(201).send(toObFileResponse(filePayment, self(filePayment.id)));
    },
  );

  app.get<{ Params: FilePaymentIdParams }>(`${PATH}/:FilePaymentId`, { onRequest: context.tppSecurity, schema: { params: filePaymentIdParams } }, async (request) => {
    const filePayment = await getFilePaymentForClient(context.db, request.params.FilePaymentId, verifiedTokenOf(request).clientId);
    return toObFileResponse(filePayment, self(filePayment.id));
  });

  app.get<{ Params: FilePaymentIdParams }>(
    `${PATH}/:FilePaymentId/payment-details`,
    { onRequest: context.tppSecurity, schema: { params: filePaymentIdParams } },
    async (request) => {
      const filePayment = await getFilePaymentForClient(context.db, request.params.FilePaymentId, verifiedTokenOf(request).clientId);
      return toObFilePaymentDetailsResponse(filePayment, `${self(filePayment.id)}/payment-details`);
    },
  );

  app.get<{ Params: FilePaymentIdParams }>(
    `${PATH}/:FilePaymentId/report-file`,
    { onRequest: context.tppSecurity, schema: { params: filePaymentIdParams } },
    async (request, reply) => {
      const filePayment = await getFilePaymentForClient(context.db, request.params.FilePaymentId, verifiedTokenOf(request).clientId);
      return reply.type('application/json; charset=utf-8').send(toObFileReport(filePayment));
    },
  );
}
