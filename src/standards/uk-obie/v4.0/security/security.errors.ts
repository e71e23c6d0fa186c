import { defineErrors, exposed } from '../../../../platform/errors/index.ts';

/**
 * Failures of the resource-side security steps of the UK OB v4.0 APIs. Messages are generic on
 * purpose: a caller learns that its token was refused, not whether it was unknown, expired or
 * revoked (RFC 6750 §3.1 `invalid_token` covers all three).
 */
export const SecurityErrors = defineErrors('OB_SECURITY', {
  // RFC 8705 §2 / FAPI 1.0 Adv §6.2.1-1: the OB APIs are served over mutual TLS only.
  CLIENT_CERTIFICATE_MISSING: exposed(401, 'header.missing', 'A TLS client certificate is required'),
  CLIENT_CERTIFICATE_UNTRUSTED: exposed(401, 'header.invalid', 'The TLS client certificate is not trusted'),
  // PSD2 Art. 65-67: AIS, PIS and funds confirmation are each for a TPP authorised in that role.
  TPP_ROLE_NOT_HELD: exposed(403, 'rules.exceeds-controls', 'The TPP is not authorised now for the role this API needs'),
  // RFC 6750 §3.1: a request without credentials, and one whose token is not valid.
  ACCESS_TOKEN_MISSING: exposed(401, 'header.missing', 'A Bearer access token is required'),
  ACCESS_TOKEN_INVALID: exposed(401, 'header.invalid', 'The access token is invalid, expired or revoked'),
  // RFC 8705 §3: a certificate-bound token presented with another certificate is an invalid token.
  TOKEN_BINDING_MISMATCH: exposed(401, 'header.invalid', 'The access token is not bound to the presented client certificate'),
  // RFC 6750 §3.1 `insufficient_scope`.
  INSUFFICIENT_SCOPE: exposed(403, 'header.invalid', 'The access token does not carry the scope this API requires'),
  WRONG_GRANT_TYPE: exposed(403, 'header.invalid', 'This endpoint needs an access token of another grant type'),
  // A client-credentials token is no credential for a PSU's resource (RFC 6750 §3.1 `invalid_token`);
  // the OBIE conformance suite expects 401 (OB-400-BAL-101700 "Fails when token is from client grant").
  PSU_TOKEN_REQUIRED: exposed(401, 'header.invalid', "This endpoint needs an access token the PSU authorised (authorization_code grant), not a client-credentials token"),
  // The token names no consent, or one that is not the caller's (or not of this API's kind).
  CONSENT_MISMATCH: exposed(403, 'consent.mismatch', 'The access token is not bound to a consent for this API'),
  // OB v4.0 common headers: x-fapi-auth-date, x-fapi-customer-ip-address.
  INTERACTION_HEADER_INVALID: exposed(400, 'header.invalid', 'A header is malformed'),
  // OB Read/Write API Profile v3.1.4+ / v4.0 "Message Signing": the detached JWS in x-jws-signature.
  // The OB error code set names each failure; every one is a 400 (conformance suite OB-316-DOP-100310).
  JWS_SIGNATURE_MISSING: exposed(400, 'signature.missing', 'The request must carry a detached JWS of its body in x-jws-signature'),
  JWS_SIGNATURE_MALFORMED: exposed(400, 'signature.malformed', 'x-jws-signature is not a detached compact JWS'),
  JWS_CLAIM_MISSING: exposed(400, 'signature.missing-claim', 'The JOSE header of x-jws-signature lacks a required claim'),
  JWS_CLAIM_INVALID: exposed(400, 'signature.invalid-claim', 'A claim of the JOSE header of x-jws-signature is invalid'),
  JWS_SIGNATURE_INVALID: exposed(400, 'signature.invalid', 'x-jws-signature does not verify over the request body'),
});
