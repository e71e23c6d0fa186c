import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AISP, readScope, singlePage, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { toObBalances } from './balances.schema.ts';

/**
 * The OB entries of each list of balances the reads return. The reads share one list between the
 * requests that read the same balances (until a posting changes them), so the mapping is shared too
 * (and, like the list, never mutated).
 */
const mapped = new WeakMap<object, ReturnType<typeof toObBalances>>();
function obBalancesOf(balances: readonly Parameters<typeof toObBalances>[0][]): ReturnType<typeof toObBalances> {
  let entries = mapped.get(balances);
  if (!entries) mapped.set(balances, (entries = balances.flatMap(toObBalances)));
  return entries;
}

/** OB v4.0 `GET /accounts/{AccountId}/balances` and `GET /balances` (`OBReadBalance1`). */
export async function balancesRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: FastifyRequest) => {
    const { consent, accountIds, asOf } = readScope(request);
    const balances = await context.reads.balances(consent, accountIds, asOf);
    return { Data: { Balance: obBalancesOf(balances) }, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts/:AccountId/balances`, { onRequest: context.pipeline('balances', 'account') }, handler);
  app.get(`${AISP}/balances`, { onRequest: context.pipeline('balances', 'bulk') }, handler);
}
