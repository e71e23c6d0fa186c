import type { FastifyInstance } from 'fastify';
import { cbpiiLink, CBPII, type CbpiiRouteContext } from '../confirmation-funds/cbpii-route-context.ts';
import { verifiedTokenOf } from '../security/security-context.ts';
import {
  consentIdParams,
  createFundsConfirmationConsentBody,
  debtorOf,
  toObFundsConfirmationConsentResponse,
  type ConsentIdParams,
  type ObFundsConfirmationConsent1,
} from './funds-confirmation-consents.schema.ts';
import { readWired, withWire } from '../_wire/wire-store.ts';

const PATH = `${CBPII}/funds-confirmation-consents`;

/**
 * OB v4.0 CBPII consents: `POST /funds-confirmation-consents`, `GET` and `DELETE
 * /funds-confirmation-consents/{ConsentId}`. A CBPII creates, reads and deletes its own consents;
 * another's, like an unknown id, is `400 U011`.
 */
export async function fundsConfirmationConsentsRoutes(app: FastifyInstance, context: CbpiiRouteContext): Promise<void> {
  const self = (id: string) => cbpiiLink(context, `/funds-confirmation-consents/${encodeURIComponent(id)}`);

  app.post<{ Body: ObFundsConfirmationConsent1 }>(PATH, { onRequest: context.tppSecurity, schema: { body: createFundsConfirmationConsentBody } }, async (request, reply) => {
    const { Data } = request.body;
    const consent = await context.funds.stageConsent(
      {
        clientId: verifiedTokenOf(request).clientId,
        debtor: debtorOf(Data.DebtorAccount),
        expiresAt: Data.ExpirationDateTime === undefined ? undefined : new Date(Data.ExpirationDateTime),
        alongside: context.wire.keep('consent', request.body, context.now()),
      },
      context.now(),
    );
    return reply.status(201).send(toObFundsConfirmationConsentResponse(await withWire(context.wire, 'consent', consent), self(consent.id)));
  });

  app.get<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request) => {
    const { ConsentId } = request.params;
    const consent = await readWired(context.wire, 'consent', ConsentId, context.funds.getConsentForClient(ConsentId, verifiedTokenOf(request).clientId, context.now()));
    return toObFundsConfirmationConsentResponse(consent, self(consent.id));
  });

  app.delete<{ Params: ConsentIdParams }>(`${PATH}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request, reply) => {
    await context.funds.revokeConsent(request.params.ConsentId, verifiedTokenOf(request).clientId, context.now());
    return reply.status(204).send();
  });
}
