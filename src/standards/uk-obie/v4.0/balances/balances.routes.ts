import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AISP, readScope, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { singlePage } from '../account-information/ob-links.ts';
import { toObBalances } from './balances.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/balances` and `GET /balances` (`OBReadBalance1`). */
export async function balancesRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: FastifyRequest) => {
    const { consent, accountIds, asOf } = readScope(request);
    const balances = await context.reads.balances(consent, accountIds, asOf);
    return { Data: { Balance: balances.flatMap(toObBalances) }, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts/:AccountId/balances`, { onRequest: context.pipeline('balances', 'account') }, handler);
  app.get(`${AISP}/balances`, { onRequest: context.pipeline('balances', 'bulk') }, handler);
}
