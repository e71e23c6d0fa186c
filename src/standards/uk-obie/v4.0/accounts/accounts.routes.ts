import type { FastifyInstance } from 'fastify';
import { detailLevel } from '../../../../modules/accounts/index.ts';
import { AISP, readScope, singlePage, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { toObAccount } from './accounts.schema.ts';
import { accessScopeOf } from '../../../../modules/consents/index.ts';

/** OB v4.0 `GET /accounts` and `GET /accounts/{AccountId}` (`OBReadAccount6`). */
export async function accountsRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: Parameters<typeof readScope>[0]) => {
    const { consent, accountIds, asOf } = readScope(request);
    const accounts = await context.reads.accounts(consent, accountIds, asOf);
    const cluster = detailLevel(accessScopeOf(consent), 'accounts');
    return { Data: { Account: accounts.map((account) => toObAccount(account, cluster)) }, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts`, { onRequest: context.pipeline('accounts', 'bulk') }, handler);
  app.get(`${AISP}/accounts/:AccountId`, { onRequest: context.pipeline('accounts', 'account') }, handler);
}
