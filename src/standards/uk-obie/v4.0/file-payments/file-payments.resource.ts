import type { FilePayment } from '../../../../modules/payments/index.ts';
import { fileConsentRequestOf } from '../file-payment-consents/file-payment-consents.schema.ts';
import { obConsentMatch } from '../_wire/ob-payment-instruction.ts';
import { definePaymentOrderResource } from '../payment-initiation/define-payment-order-resource.ts';
import { idempotencyKeyOf } from '../payment-initiation/ob-payment-wire.ts';
import { obFileInitiations } from '../payment-initiation/ob-payment-file.ts';
import type { PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { submitFilePaymentBody, toObFilePaymentDetailsResponse, toObFileReport, toObFileResponse, type FilePaymentAsFiled, type ObWriteFile2 } from './file-payments.schema.ts';
import { wiredAsReceived, type Wired } from '../_wire/wire-store.ts';

/**
 * OB v4.0 `/file-payments`: `POST`, `GET …/{FilePaymentId}`, `GET …/payment-details` (one status
 * per payment of the file) and `GET …/report-file` (the TPP's client-credentials token).
 */
export const filePayments = definePaymentOrderResource<ObWriteFile2, FilePayment>({
  path: '/file-payments',
  idParam: 'FilePaymentId',
  kind: 'file-payment',
  wire: 'file-payment',
  body: submitFilePaymentBody,
  async submit(context, { consent, body, headers, received }, self) {
    const { filePayment } = await context.payments.submitFilePayment(
      {
        consent,
        consentId: body.Data.ConsentId,
        // OB v4.0: the Initiation of the file-payment matches that of its consent.
        match: obConsentMatch({ Initiation: body.Data.Initiation }, { Initiation: fileConsentRequestOf(consent).Data.Initiation }),
        ...received,
        idempotencyKey: idempotencyKeyOf(headers),
      },
      context.now(),
    );
    return toObFileResponse(wiredAsReceived(received, filePayment), self(filePayment.id));
  },
  read: (context, id, clientId) => context.payments.getFilePayment(id, clientId),
  respond: (_context, filePayment, self) => toObFileResponse(filePayment, self),
  details: async (context, filePayment, self) => toObFilePaymentDetailsResponse(await asFiled(context, filePayment), self),
  routes(app, context, orders) {
    app.get<{ Params: Record<string, string> }>(`${orders.path}/report-file`, orders.options, async (request, reply) => {
      const filePayment = await asFiled(context, await orders.read(request));
      return reply.type('application/json; charset=utf-8').send(toObFileReport(filePayment));
    });
  },
});

/** The file payment with its payments as its file holds them, read from the file kept with its consent. */
async function asFiled(context: PisRouteContext, filePayment: Wired<FilePayment>): Promise<FilePaymentAsFiled> {
  const file = await context.payments.getPaymentFile(filePayment.consentId, filePayment.clientId, context.now());
  return { ...filePayment, initiations: obFileInitiations(file.content) };
}
