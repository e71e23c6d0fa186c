import type { FastifyInstance, FastifyRequest } from 'fastify';
import { dataCluster } from '../../../../modules/accounts/index.ts';
import { AISP, readScope, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { singlePage } from '../account-information/ob-links.ts';
import { toObStandingOrder } from './standing-orders.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/standing-orders` and `GET /standing-orders` (`OBReadStandingOrder6`). */
export async function standingOrdersRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: FastifyRequest) => {
    const { consent, accountIds } = readScope(request);
    const orders = await context.reads.standingOrders(consent, accountIds);
    const cluster = dataCluster(consent, 'standing-orders');
    return { Data: { StandingOrder: orders.map((o) => toObStandingOrder(o, cluster)) }, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts/:AccountId/standing-orders`, { onRequest: context.pipeline('standing-orders', 'account') }, handler);
  app.get(`${AISP}/standing-orders`, { onRequest: context.pipeline('standing-orders', 'bulk') }, handler);
}
