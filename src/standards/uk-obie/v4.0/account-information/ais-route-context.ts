import type { FastifyRequest } from 'fastify';
import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import type { AccountsApi, AisResource, Freshness } from '../../../../modules/accounts/index.ts';
import type { Consent, ConsentsApi } from '../../../../modules/consents/index.ts';
import { checkPermission } from '../security/check-permission.ts';
import { checkAccountInConsent, checkConsentAuthorised } from '../security/consent-checks.ts';
import { checkAccessToken, checkGrantType, checkInteractionHeaders, checkScope, checkTokenBinding, checkTppCertificate, requireMtls, runConcurrently, type TppCertificateValidator } from '../security/fapi-checks.ts';
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

export interface AisPipelineOptions {
  readonly consents: Pick<ConsentsApi, 'findForRequest'>;
  readonly accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  readonly validateTppCertificate?: TppCertificateValidator | undefined;
  readonly reads: Pick<AccountsApi, 'resolveAccount'>;
  readonly now?: (() => Date) | undefined;
}

/**
 * OB v4.0 `security: PSUOAuth2Security [accounts]`, as named steps (DESIGN.md §2.3): mTLS with a
 * trusted TPP certificate; an authorization-code token bound to it, with the `accounts` scope; its
 * consent authorised, unexpired and the caller's; the consent's permissions cover the resource;
 * and, on `/accounts/{AccountId}/…`, the account is one the PSU selected. Nothing is guessed
 * ahead of the checks: each reads what it needs once the step before it established it.
 */
export function aisPipeline(options: AisPipelineOptions, resource: AisResource, scope: 'account' | 'bulk'): SecurityStep[] {
  return [
    requireMtls(),
    // Both wait on the shared cache and neither needs the other: one wait instead of two.
    runConcurrently(checkTppCertificate(options.validateTppCertificate), checkAccessToken(options.accessTokens)),
    checkTokenBinding(),
    checkGrantType('authorization_code'),
    checkScope('accounts'),
    checkInteractionHeaders(),
    checkConsentAuthorised({ consents: options.consents, kind: 'account-access', ...(options.now ? { now: options.now } : {}) }),
    checkPermission(resource),
    ...(scope === 'account' ? [checkAccountInConsent(options.reads)] : []),
  ];
}
