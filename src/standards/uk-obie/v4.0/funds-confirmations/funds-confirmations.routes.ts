import type { FastifyInstance } from 'fastify';
import { CBPII, type CbpiiRouteContext } from '../confirmation-funds/cbpii-route-context.ts';
import { authorisedConsentOf } from '../security/security-context.ts';
import { createFundsConfirmationBody, fundsCheckOf, toObFundsConfirmationResponse, type ObFundsConfirmation1 } from './funds-confirmations.schema.ts';

/**
 * OB v4.0 `POST /funds-confirmations`: under the PSU's token for an authorised, unexpired
 * funds-confirmation consent (the pipeline), for that consent only, yes or no.
 */
export async function fundsConfirmationsRoutes(app: FastifyInstance, context: CbpiiRouteContext): Promise<void> {
  app.post<{ Body: ObFundsConfirmation1 }>(`${CBPII}/funds-confirmations`, { onRequest: context.psuSecurity, schema: { body: createFundsConfirmationBody } }, async (request, reply) => {
    const confirmation = await context.funds.confirmFunds(authorisedConsentOf(request), fundsCheckOf(request.body), context.now());
    return reply.status(201).send(toObFundsConfirmationResponse(confirmation, request.body));
  });
}
