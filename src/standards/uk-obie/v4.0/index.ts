export { renderObErrorV4 } from './ob-error-body.ts';
export { OB_V4_ERROR_CODES } from './ob-error-codes.ts';
export { ukObieV4Routes } from './uk-obie-v4.routes.ts';
export type { UkObieV4RoutesOptions } from './uk-obie-v4.routes.ts';
export type { PaymentInitiationRoutesOptions } from './payment-initiation/pis-route-family.ts';
export { createResponseSigner } from './security/sign-response.ts';
export type { ResponseSigner } from './security/sign-response.ts';
export { directoryTppSigningKeys } from './security/tpp-signing-keys.ts';
export { trustAnchorsOf } from './security/ob-jws-profile.ts';
