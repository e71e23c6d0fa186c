import type { FilePaymentLimits } from '../../../../modules/payments/index.ts';
import { consentIdParams, type ConsentIdParams } from '../consent-id-params.ts';
import { definePaymentConsentResource } from '../payment-initiation/define-payment-consent-resource.ts';
import { checkPaymentFileType, readPaymentFile } from '../payment-initiation/ob-payment-file.ts';
import { idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { PISP } from '../payment-initiation/pis-route-context.ts';
import { rawBodyOf } from '../../../../platform/http/index.ts';
import { verifiedTokenOf } from '../security/security-context.ts';
import { createFilePaymentConsentBody, fileTermsOf, toObFileConsentResponse, type ObWriteFileConsent3 } from './file-payment-consents.schema.ts';

const PATH = `${PISP}/file-payment-consents`;

/**
 * OB v4.0 `/file-payment-consents`: `POST`, `GET …/{ConsentId}`, `POST …/{ConsentId}/file` (the
 * file itself as the body, signed over its bytes, idempotent; at most `limits.maxFileBytes`, 413
 * above) and `GET …/{ConsentId}/file` (the file exactly as uploaded), all with the TPP's
 * client-credentials token.
 */
export const filePaymentConsents = (limits: FilePaymentLimits) =>
  definePaymentConsentResource<ObWriteFileConsent3>({
    path: '/file-payment-consents',
    kind: 'file-payment',
    body: createFilePaymentConsentBody,
    async stage(context, input, { Data: { Initiation } }) {
      // A file type the bank cannot read is refused now, not when its file arrives.
      checkPaymentFileType(Initiation.FileType);
      const consent = await context.payments.stageFilePaymentConsent({ ...input, terms: fileTermsOf(Initiation) }, context.now());
      return { consent, debtor: null };
    },
    respond: (view, self) => toObFileConsentResponse(view.consent, view.debtor, self),
    routes(app, context) {
      app.post<{ Params: ConsentIdParams }>(
        `${PATH}/:ConsentId/file`,
        // OB v4.0: "The file is sent in the HTTP request body"; x-jws-signature signs its bytes.
        { onRequest: context.tppSecurity, preValidation: context.signedRequest, schema: { params: consentIdParams }, bodyLimit: limits.maxFileBytes },
        async (request, reply) => {
          await context.payments.uploadPaymentFile(
            {
              clientId: verifiedTokenOf(request).clientId,
              consentId: request.params.ConsentId,
              idempotencyKey: idempotencyKeyOf(request.headers),
              content: rawBodyOf(request),
              contentType: request.headers['content-type'] ?? 'application/json',
              read: readPaymentFile,
            },
            context.now(),
          );
          // OB v4.0 `200FilePaymentConsentsConsentIdFileCreated`: no body.
          return reply.status(200).send();
        },
      );

      app.get<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId/file`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request, reply) => {
        const file = await context.payments.getPaymentFile(request.params.ConsentId, verifiedTokenOf(request).clientId, context.now());
        return reply.type(file.contentType).send(file.content);
      });
    },
  });
