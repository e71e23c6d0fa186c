import type { FastifyInstance } from 'fastify';
import { aisReadPair } from '../account-information/ais-read-pair.ts';
import type { AisRouteContext } from '../account-information/ais-route-context.ts';
import { toObStandingOrder } from './standing-orders.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/standing-orders` and `GET /standing-orders` (`OBReadStandingOrder6`). */
export async function standingOrdersRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  aisReadPair(app, context, {
    resource: 'standing-orders',
    data: async ({ consent, accountIds, cluster }) => ({ StandingOrder: (await context.reads.standingOrders(consent, accountIds)).map((o) => toObStandingOrder(o, cluster)) }),
  });
}
