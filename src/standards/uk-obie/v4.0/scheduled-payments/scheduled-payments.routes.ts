import type { FastifyInstance } from 'fastify';
import { aisReadPair } from '../account-information/ais-read-pair.ts';
import type { AisRouteContext } from '../account-information/ais-route-context.ts';
import { toObScheduledPayment } from './scheduled-payments.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/scheduled-payments` and `GET /scheduled-payments` (`OBReadScheduledPayment3`). */
export async function scheduledPaymentsRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  aisReadPair(app, context, {
    resource: 'scheduled-payments',
    data: async ({ consent, accountIds, cluster }) => ({ ScheduledPayment: (await context.reads.scheduledPayments(consent, accountIds)).map((p) => toObScheduledPayment(p, cluster)) }),
  });
}
