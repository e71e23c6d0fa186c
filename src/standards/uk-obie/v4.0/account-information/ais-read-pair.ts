import type { FastifyInstance, FastifyRequest } from 'fastify';
import { detailLevel, type AisResource } from '../../../../modules/accounts/index.ts';
import { accessScopeOf, type Consent, type DetailLevel } from '../../../../modules/consents/index.ts';
import { AISP, readScope, singlePage, type AisRouteContext } from './ais-route-context.ts';

/** What one read of an AIS resource is given: the consent, the accounts it reads and the data cluster it may see. */
export interface AisReadScope {
  readonly consent: Consent;
  readonly accountIds: readonly string[];
  readonly cluster: DetailLevel;
}

export interface AisReadPair {
  readonly resource: AisResource;
  /** The path below `/accounts/{AccountId}/` when it differs from the resource name (`product`). */
  readonly accountPath?: string;
  /** The `Data` of the response, on one page. */
  data(scope: AisReadScope): Promise<object>;
}

/** The two reads of one AIS resource, `GET /accounts/{AccountId}/<resource>` and `GET /<resource>`, each behind its pipeline. */
export function aisReadPair(app: FastifyInstance, context: AisRouteContext, pair: AisReadPair): void {
  const handler = async (request: FastifyRequest) => {
    const { consent, accountIds } = readScope(request);
    const Data = await pair.data({ consent, accountIds, cluster: detailLevel(accessScopeOf(consent), pair.resource) });
    return { Data, ...singlePage(request, context.publicUrl) };
  };
  app.get(`${AISP}/accounts/:AccountId/${pair.accountPath ?? pair.resource}`, { onRequest: context.pipeline(pair.resource, 'account') }, handler);
  app.get(`${AISP}/${pair.resource}`, { onRequest: context.pipeline(pair.resource, 'bulk') }, handler);
}
