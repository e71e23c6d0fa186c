import type { AccountsApi } from '../../../../modules/accounts/index.ts';
import { authorisedConsentOf, type SecurityStep } from './security-context.ts';

/**
 * The `{AccountId}` of the path is one the PSU selected for this consent; the account behind it
 * is recorded as `request.consentedAccountId`. An unknown id, another PSU's account and an
 * unselected one are the same 403. Runs after `checkConsentAuthorised`.
 */
export function checkAccountInConsent(reads: Pick<AccountsApi, 'resolveAccount'>): SecurityStep {
  return async (request) => {
    const accountRef = (request.params as { AccountId?: unknown }).AccountId;
    request.consentedAccountId = await reads.resolveAccount(authorisedConsentOf(request), typeof accountRef === 'string' ? accountRef : '');
  };
}
