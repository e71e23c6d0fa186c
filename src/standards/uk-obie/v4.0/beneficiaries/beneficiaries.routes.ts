import type { FastifyInstance, FastifyRequest } from 'fastify';
import { dataCluster } from '../../../../modules/accounts/index.ts';
import { AISP, readScope, type AisRouteContext } from '../account-information/ais-route-context.ts';
import { singlePage } from '../account-information/ob-links.ts';
import { toObBeneficiary } from './beneficiaries.schema.ts';

/** OB v4.0 `GET /accounts/{AccountId}/beneficiaries` and `GET /beneficiaries` (`OBReadBeneficiary5`). */
export async function beneficiariesRoutes(app: FastifyInstance, context: AisRouteContext): Promise<void> {
  const handler = async (request: FastifyRequest) => {
    const { consent, accountIds } = readScope(request);
    const beneficiaries = await context.reads.beneficiaries(consent, accountIds);
    const cluster = dataCluster(consent, 'beneficiaries');
    return { Data: { Beneficiary: beneficiaries.map((b) => toObBeneficiary(b, cluster)) }, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts/:AccountId/beneficiaries`, { onRequest: context.pipeline('beneficiaries', 'account') }, handler);
  app.get(`${AISP}/beneficiaries`, { onRequest: context.pipeline('beneficiaries', 'bulk') }, handler);
}
