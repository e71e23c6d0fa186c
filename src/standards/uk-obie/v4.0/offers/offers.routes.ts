import type { FastifyInstance } from 'fastify';
import { AISP, singlePage, type AisRouteContext } from '../account-information/ais-route-context.ts';

/**
 * OB v4.0 `GET /accounts/{AccountId}/offers` and `GET /offers` (`OBReadOffer1`). The built-in bank
 * makes no offers (limit increases, balance transfers), so the list is validly empty, after the
 * same checks as every other read.
 */
export async function offersRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: Parameters<typeof singlePage>[0]) => ({ Data: { Offer: [] }, ...singlePage(request, context.publicUrl) });
  app.get(`${AISP}/accounts/:AccountId/offers`, { onRequest: context.pipeline('offers', 'account') }, handler);
  app.get(`${AISP}/offers`, { onRequest: context.pipeline('offers', 'bulk') }, handler);
}
