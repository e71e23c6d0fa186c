/**
 * Confirmation of funds (PSD2 Art. 65, OB v4.0 CBPII): consents for one named account, and yes/no
 * answers under them. Neutral model; the standards (src/standards/uk-obie/v4.0/...) map it to the wire.
 */
export type { FundsAccountIdentification, FundsCheck, FundsConfirmation, NewFundsConfirmationConsent } from './funds-model.ts';
export { stageFundsConfirmationConsent } from './stage-funds-confirmation-consent.ts';
export type { StageFundsConfirmationConsentDeps } from './stage-funds-confirmation-consent.ts';
export { getFundsConfirmationConsentForClient, revokeFundsConfirmationConsent } from './funds-confirmation-consents.ts';
export { confirmFunds } from './confirm-funds.ts';
export { FundsErrors } from './funds.errors.ts';
