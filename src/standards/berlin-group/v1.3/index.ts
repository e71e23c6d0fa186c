export { berlinGroupRoutes, BERLIN_GROUP_PREFIX } from './berlin-group.routes.ts';
export type { BerlinGroupRoutesOptions } from './berlin-group.routes.ts';
export { renderXs2aError } from './xs2a-error-body.ts';
export type { Xs2aCertificateCheck } from './security/xs2a-context.ts';
export type { RequestSignaturePolicy } from './security/check-request-signature.ts';
export { xs2aClientIdOf } from './security/identify-tpp.ts';
export type { Xs2aWireStore } from './_wire/xs2a-wire-store.ts';
export type { Xs2aWireTables } from './_wire/infra/xs2a-wire.tables.ts';
// The composition root builds the facade's wire store on the platform database and hands it in.
export { createXs2aWireStore, XS2A_WIRE_ENCRYPTED_COLUMN } from './_wire/infra/kysely-xs2a-wire-store.ts';
export { executeXs2aPaymentsOnAuthorisation } from './payments/execute-on-authorisation.ts';
