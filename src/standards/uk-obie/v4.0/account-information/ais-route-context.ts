import type { FastifyRequest } from 'fastify';
import type { AccountsApi, AisResource, Freshness } from '../../../../modules/accounts/index.ts';
import type { Consent } from '../../../../modules/consents/index.ts';
import { authorisedConsentOf, consentedAccountOf, freshnessOf, type SecurityStep } from '../security/security-context.ts';

/** OB v4.0 Account and Transaction API base path (`servers: /open-banking/v4.0/aisp`). */
export const AISP = '/open-banking/v4.0/aisp';

/** What every AIS resource route family needs: the reads, the public URL and its pipelines. */
export interface AisRouteContext {
  readonly reads: AccountsApi;
  readonly publicUrl: string;
  pipeline(resource: AisResource, scope: 'account' | 'bulk'): SecurityStep[];
}

/**
 * The consent and the accounts a request reads: the path's account, or all of the consent's; and
 * `asOf`, when its checks began, for reads that may take up reads of the shared cache issued since.
 */
export function readScope(request: FastifyRequest): { consent: Consent; accountIds: string[]; asOf: Freshness } {
  const consent = authorisedConsentOf(request);
  return { consent, accountIds: request.consentedAccountId ? [consentedAccountOf(request)] : consent.accountIds, asOf: freshnessOf(request) };
}
