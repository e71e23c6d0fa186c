export { createPsuAuthorisationModule } from './create-psu-authorisation-module.ts';
export type { PsuAuthorisationApi, PsuAuthorisationModuleDeps } from './create-psu-authorisation-module.ts';
export { scopeFor } from './describe-consent.ts';
export type { AuthorisationRequest, ConsentForPsu } from './describe-consent.ts';
export type { Approval } from './decide-consent.ts';
export { PsuAuthorisationErrors, oauthErrorFor } from './psu-authorisation.errors.ts';
export type { ScaAuthorisation, ScaPurpose, ScaStatus } from './sca-authorisation.ts';
export type { NewScaAuthorisation } from './sca-authorisations.ts';
export type { PsuAuthorisationTables } from './infra/psu-authorisation.tables.ts';
