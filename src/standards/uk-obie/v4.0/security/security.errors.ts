import { defineErrors } from '../../../../platform/errors/index.ts';

/**
 * Failures of the resource-side security steps of the UK OB v4.0 APIs. Messages are generic on
 * purpose: a caller learns that its token was refused, not whether it was unknown, expired or
 * revoked (RFC 6750 §3.1 `invalid_token` covers all three).
 */
export const SecurityErrors = defineErrors('OB_SECURITY', {
  // RFC 8705 §2 / FAPI 1.0 Adv §6.2.1-1: the OB APIs are served over mutual TLS only.
  CLIENT_CERTIFICATE_MISSING: { status: 401, reason: 'header.missing', message: 'A TLS client certificate is required', expose: true },
  CLIENT_CERTIFICATE_UNTRUSTED: { status: 401, reason: 'header.invalid', message: 'The TLS client certificate is not trusted', expose: true },
  // RFC 6750 §3.1: a request without credentials, and one whose token is not valid.
  ACCESS_TOKEN_MISSING: { status: 401, reason: 'header.missing', message: 'A Bearer access token is required', expose: true },
  ACCESS_TOKEN_INVALID: { status: 401, reason: 'header.invalid', message: 'The access token is invalid, expired or revoked', expose: true },
  // RFC 8705 §3: a certificate-bound token presented with another certificate is an invalid token.
  TOKEN_BINDING_MISMATCH: { status: 401, reason: 'header.invalid', message: 'The access token is not bound to the presented client certificate', expose: true },
  // RFC 6750 §3.1 `insufficient_scope`.
  INSUFFICIENT_SCOPE: { status: 403, reason: 'header.invalid', message: 'The access token does not carry the scope this API requires', expose: true },
  WRONG_GRANT_TYPE: { status: 403, reason: 'header.invalid', message: 'This endpoint needs an access token of another grant type', expose: true },
  // A client-credentials token is no credential for a PSU's resource (RFC 6750 §3.1 `invalid_token`);
  // the OBIE conformance suite expects 401 (OB-400-BAL-101700 "Fails when token is from client grant").
  PSU_TOKEN_REQUIRED: { status: 401, reason: 'header.invalid', message: "This endpoint needs an access token the PSU authorised (authorization_code grant), not a client-credentials token", expose: true },
  // The token names no consent, or one that is not the caller's (or not of this API's kind).
  CONSENT_MISMATCH: { status: 403, reason: 'consent.mismatch', message: 'The access token is not bound to a consent for this API', expose: true },
  // OB v4.0 common headers: x-fapi-auth-date, x-fapi-customer-ip-address.
  INTERACTION_HEADER_INVALID: { status: 400, reason: 'header.invalid', message: 'A header is malformed', expose: true },
  // OB Read/Write API Profile v3.1.4+ / v4.0 "Message Signing": the detached JWS in x-jws-signature.
  // The OB error code set names each failure; every one is a 400 (conformance suite OB-316-DOP-100310).
  JWS_SIGNATURE_MISSING: { status: 400, reason: 'signature.missing', message: 'The request must carry a detached JWS of its body in x-jws-signature', expose: true },
  JWS_SIGNATURE_MALFORMED: { status: 400, reason: 'signature.malformed', message: 'x-jws-signature is not a detached compact JWS', expose: true },
  JWS_CLAIM_MISSING: { status: 400, reason: 'signature.missing-claim', message: 'The JOSE header of x-jws-signature lacks a required claim', expose: true },
  JWS_CLAIM_INVALID: { status: 400, reason: 'signature.invalid-claim', message: 'A claim of the JOSE header of x-jws-signature is invalid', expose: true },
  JWS_SIGNATURE_INVALID: { status: 400, reason: 'signature.invalid', message: 'x-jws-signature does not verify over the request body', expose: true },
});
