export { describeConsentForPsu, findAuthorisableConsent, scopeFor } from './describe-consent.ts';
export type { AuthorisationRequest, ConsentForPsu } from './describe-consent.ts';
export { approveConsent, denyConsent } from './decide-consent.ts';
export type { Approval } from './decide-consent.ts';
export { PsuAuthorisationErrors, oauthErrorFor } from './psu-authorisation.errors.ts';
