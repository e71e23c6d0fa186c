import type { FastifyInstance, FastifyRequest } from 'fastify';
import { dataCluster } from '../../../../modules/accounts/index.ts';
import { AISP, readScope, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { singlePage } from '../account-information/ob-links.ts';
import { toObScheduledPayment } from './scheduled-payments.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/scheduled-payments` and `GET /scheduled-payments` (`OBReadScheduledPayment3`). */
export async function scheduledPaymentsRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: FastifyRequest) => {
    const { consent, accountIds } = readScope(request);
    const payments = await context.reads.scheduledPayments(consent, accountIds);
    const cluster = dataCluster(consent, 'scheduled-payments');
    return { Data: { ScheduledPayment: payments.map((p) => toObScheduledPayment(p, cluster)) }, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts/:AccountId/scheduled-payments`, { onRequest: context.pipeline('scheduled-payments', 'account') }, handler);
  app.get(`${AISP}/scheduled-payments`, { onRequest: context.pipeline('scheduled-payments', 'bulk') }, handler);
}
