export { renderObErrorV4 } from './ob-error-body.ts';
export { OB_V4_ERROR_CODES } from './ob-error-codes.ts';
export { ukObieV4Routes } from './uk-obie-v4.routes.ts';
export type { UkObieV4RoutesOptions } from './uk-obie-v4.routes.ts';
export type { PaymentInitiationRoutesOptions } from './payment-initiation/pis-route-family.ts';
export { createResponseSigner } from './security/sign-response.ts';
export type { ResponseSigner } from './security/sign-response.ts';
export { directoryTppSigningKeys } from './security/tpp-signing-keys.ts';
export { trustAnchorsOf } from './security/ob-jws-profile.ts';
export type { ObWireStore, ObWireTables } from './_wire/wire-store.ts';
// The composition root builds the facade's wire store on the platform database and hands it in.
export { createObWireStore, OB_WIRE_ENCRYPTED_COLUMN } from './_wire/infra/kysely-ob-wire-store.ts';
export { createSetSigner } from './event-notifications/security-event-token.ts';
export type { SetSigner } from './event-notifications/security-event-token.ts';
export { createObNotificationSender } from './event-notifications/push-event-notification.ts';
