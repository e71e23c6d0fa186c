import type { FastifyRequest } from 'fastify';
import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import type { AccountsApi, AisResource, Freshness, PageLinks } from '../../../../modules/accounts/index.ts';
import type { Consent, ConsentsApi } from '../../../../modules/consents/index.ts';
import { checkAccountInConsent, checkAccountsInConsent, checkConsentAuthorised, checkPermission } from '../security/consent-checks.ts';
import { checkAccessToken, checkGrantType, checkInteractionHeaders, checkScope, checkTokenBinding, checkTppCertificate, requireMtls, runConcurrently, type TppCertificateValidator } from '../security/fapi-checks.ts';
import { authorisedConsentOf, consentedAccountOf, freshnessOf, readableAccountsOf, type SecurityStep } from '../security/security-context.ts';

/** OB v4.0 Account and Transaction API base path (`servers: /open-banking/v4.0/aisp`). */
export const AISP = '/open-banking/v4.0/aisp';

/** What every AIS resource route family needs: the reads, the public URL and its pipelines. */
export interface AisRouteContext {
  readonly reads: AccountsApi;
  readonly publicUrl: string;
  pipeline(resource: AisResource, scope: 'account' | 'bulk'): SecurityStep[];
}

/**
 * The consent and the accounts a request reads: the path's account, or all of the consent's that
 * its access scope lets the resource be read on; and `asOf`, when its checks began, for reads that
 * may take up reads of the shared cache issued since.
 */
export function readScope(request: FastifyRequest): { consent: Consent; accountIds: readonly string[]; asOf: Freshness } {
  const consent = authorisedConsentOf(request);
  return { consent, accountIds: request.consentedAccountId ? [consentedAccountOf(request)] : readableAccountsOf(request), asOf: freshnessOf(request) };
}

export interface AisPipelineOptions {
  readonly consents: Pick<ConsentsApi, 'findForRequest'>;
  readonly accessTokens: Pick<AccessTokenVerifier, 'verify'>;
  readonly validateTppCertificate?: TppCertificateValidator | undefined;
  readonly reads: Pick<AccountsApi, 'resolveAccount' | 'readableAccounts'>;
  readonly now?: (() => Date) | undefined;
}

/**
 * OB v4.0 `security: PSUOAuth2Security [accounts]`, as named steps (DESIGN.md §2.3): mTLS with a
 * trusted TPP certificate; an authorization-code token bound to it, with the `accounts` scope; its
 * consent authorised, unexpired and the caller's; the consent's permissions cover the resource;
 * and the accounts read are ones its access scope covers for the resource (on
 * `/accounts/{AccountId}/…` the path's account, or a 403). Nothing is guessed
 * ahead of the checks: each reads what it needs once the step before it established it.
 */
export function aisPipeline(options: AisPipelineOptions, resource: AisResource, scope: 'account' | 'bulk'): SecurityStep[] {
  return [
    requireMtls(),
    // Both wait on the shared cache and neither needs the other: one wait instead of two.
    runConcurrently(checkTppCertificate(options.validateTppCertificate, 'AISP'), checkAccessToken(options.accessTokens)),
    checkTokenBinding(),
    checkGrantType('authorization_code'),
    checkScope('accounts'),
    checkInteractionHeaders(),
    checkConsentAuthorised({ consents: options.consents, kind: 'account-access', ...(options.now ? { now: options.now } : {}) }),
    checkPermission(resource),
    scope === 'account' ? checkAccountInConsent(options.reads, resource) : checkAccountsInConsent(options.reads, resource),
  ];
}

// OB `Links` and `Meta` of the AIS responses.

/** `Links.Self`: the URL the TPP called, on the bank's public base URL. */
export function selfUrl(request: FastifyRequest, publicUrl: string): string {
  return new URL(request.url, publicUrl).toString();
}

/** OB `Links` and `Meta` of a listing that fits one page. */
export function singlePage(request: FastifyRequest, publicUrl: string): { Links: { Self: string }; Meta: { TotalPages: number } } {
  return { Links: { Self: selfUrl(request, publicUrl) }, Meta: { TotalPages: 1 } };
}

/**
 * OB `Links` (Self, First, Prev, Next, Last) and `Meta` of a paged listing: each link is the
 * request's own URL with the page token of that page.
 */
export function pagedLinks(request: FastifyRequest, publicUrl: string, page: PageLinks, available: { first: Date | undefined; last: Date | undefined }) {
  const withPage = (token: string) => {
    const url = new URL(request.url, publicUrl);
    url.searchParams.set('page', token);
    return url.toString();
  };
  return {
    Links: {
      Self: selfUrl(request, publicUrl),
      First: withPage(page.first),
      ...(page.prev ? { Prev: withPage(page.prev) } : {}),
      ...(page.next ? { Next: withPage(page.next) } : {}),
      Last: withPage(page.last),
    },
    Meta: {
      TotalPages: page.totalPages,
      ...(available.first ? { FirstAvailableDateTime: available.first.toISOString() } : {}),
      ...(available.last ? { LastAvailableDateTime: available.last.toISOString() } : {}),
    },
  };
}
