import { NO_ACCESS, type AccessScope } from './access-scope.ts';
import type { Consent } from './consent-model.ts';

/** The access scope of an account-access consent; a consent of another purpose grants no account information. */
export function accessScopeOf(consent: Pick<Consent, 'purpose'>): AccessScope {
  return consent.purpose.type === 'account-access' ? consent.purpose.scope : NO_ACCESS;
}
