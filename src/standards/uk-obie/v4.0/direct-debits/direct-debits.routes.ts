import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AISP, readScope, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { singlePage } from '../account-information/ob-links.ts';
import { toObDirectDebit } from './direct-debits.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/direct-debits` and `GET /direct-debits` (`OBReadDirectDebit2`). */
export async function directDebitsRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: FastifyRequest) => {
    const { consent, accountIds } = readScope(request);
    const directDebits = await context.reads.directDebits(consent, accountIds);
    return { Data: { DirectDebit: directDebits.map(toObDirectDebit) }, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts/:AccountId/direct-debits`, { onRequest: context.pipeline('direct-debits', 'account') }, handler);
  app.get(`${AISP}/direct-debits`, { onRequest: context.pipeline('direct-debits', 'bulk') }, handler);
}
