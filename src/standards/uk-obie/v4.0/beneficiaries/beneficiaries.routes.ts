import type { FastifyInstance } from 'fastify';
import { aisReadPair } from '../account-information/ais-read-pair.ts';
import type { AisRouteContext } from '../account-information/ais-route-context.ts';
import { toObBeneficiary } from './beneficiaries.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/beneficiaries` and `GET /beneficiaries` (`OBReadBeneficiary5`). */
export async function beneficiariesRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  aisReadPair(app, context, {
    resource: 'beneficiaries',
    data: async ({ consent, accountIds, cluster }) => ({ Beneficiary: (await context.reads.beneficiaries(consent, accountIds)).map((b) => toObBeneficiary(b, cluster)) }),
  });
}
