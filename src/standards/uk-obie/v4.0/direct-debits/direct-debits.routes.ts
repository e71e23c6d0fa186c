import type { FastifyInstance } from 'fastify';
import { aisReadPair } from '../account-information/ais-read-pair.ts';
import type { AisRouteContext } from '../account-information/ais-route-context.ts';
import { toObDirectDebit } from './direct-debits.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/direct-debits` and `GET /direct-debits` (`OBReadDirectDebit2`). */
export async function directDebitsRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  aisReadPair(app, context, {
    resource: 'direct-debits',
    data: async ({ consent, accountIds }) => ({ DirectDebit: (await context.reads.directDebits(consent, accountIds)).map(toObDirectDebit) }),
  });
}
