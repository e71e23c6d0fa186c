/**
 * Confirmation of funds (PSD2 Art. 65, OB v4.0 CBPII): consents for one named account, and yes/no
 * answers under them. Neutral model; the standards (src/standards/uk-obie/v4.0/...) map it to the wire.
 */
export { createFundsModule } from './create-funds-module.ts';
export type { FundsApi, FundsModuleDeps } from './create-funds-module.ts';
export type { FundsAccountIdentification, FundsCheck, FundsConfirmation, NewFundsConfirmationConsent } from './funds-model.ts';
export { FundsErrors } from './funds.errors.ts';
