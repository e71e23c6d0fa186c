import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import type { AccountsApi, AisResource } from '../../../../modules/accounts/index.ts';
import type { ConsentCache } from '../../../../modules/consents/index.ts';
import { checkAccessToken } from '../security/check-access-token.ts';
import { checkAccountInConsent } from '../security/check-account-in-consent.ts';
import { checkConsentAuthorised } from '../security/check-consent-authorised.ts';
import { checkGrantType } from '../security/check-grant-type.ts';
import { checkInteractionHeaders } from '../security/check-interaction-headers.ts';
import { checkPermission } from '../security/check-permission.ts';
import { checkScope } from '../security/check-scope.ts';
import { checkTokenBinding } from '../security/check-token-binding.ts';
import { checkTppCertificate, type TppCertificateValidator } from '../security/check-tpp-certificate.ts';
import { requireMtls } from '../security/require-mtls.ts';
import { runConcurrently } from '../security/run-concurrently.ts';
import type { SecurityStep } from '../security/security-context.ts';

export interface AisPipelineOptions {
  readonly consents: Pick<ConsentCache, 'find'>;
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
