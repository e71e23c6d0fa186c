import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Errors of TPP client registration (OB DCR v3.4, RFC 7591/7592). Every message is exposed: it
 * tells the TPP which rule its request broke and nothing about other TPPs. The DCR facade maps
 * the codes to the spec's `RegistrationError` values; 401/403 are authentication failures.
 */
export const ClientsErrors = defineErrors('CLIENTS', {
  CERTIFICATE_MISSING: { status: 401, reason: 'header.missing', message: 'A transport certificate (mutual TLS) is required', expose: true },
  CERTIFICATE_ORGANISATION_MISMATCH: { status: 403, reason: 'rules.exceeds-controls', message: 'The transport certificate belongs to another organisation than the software statement', expose: true },
  ACCESS_TOKEN_MISSING: { status: 401, reason: 'header.missing', message: 'A client-credentials access token (Authorization: Bearer) is required', expose: true },
  ACCESS_TOKEN_INVALID: { status: 401, reason: 'header.invalid', message: 'The access token is invalid, expired, or not bound to the presented certificate', expose: true },
  CLIENT_FORBIDDEN: { status: 403, reason: 'rules.exceeds-controls', message: 'The access token does not permit access to this client', expose: true },
  REQUEST_MALFORMED: { status: 400, reason: 'signature.malformed', message: 'The registration request must be a signed JWT (JWS compact serialisation)', expose: true },
  REQUEST_ALG_UNSUPPORTED: { status: 400, reason: 'signature.invalid', message: 'The registration request must be signed with PS256 or ES256', expose: true },
  REQUEST_KID_MISSING: { status: 400, reason: 'signature.missing-claim', message: 'The registration request header must name its signing key (kid)', expose: true },
  REQUEST_SIGNATURE_INVALID: { status: 400, reason: 'signature.invalid', message: 'The registration request does not verify with a signing key of the software statement', expose: true },
  REQUEST_CLAIM_INVALID: { status: 400, reason: 'signature.invalid-claim', message: 'A claim of the registration request is invalid', expose: true },
  REQUEST_REPLAYED: { status: 400, reason: 'signature.invalid-claim', message: 'The registration request (its jti) has been used before', expose: true },
  SOFTWARE_STATEMENT_INVALID: { status: 400, reason: 'signature.invalid', message: 'software_statement is not a valid SSA signed by the directory', expose: true },
  SOFTWARE_STATEMENT_MISMATCH: { status: 400, reason: 'field.invalid', message: 'The software statement is for other software than this client', expose: true },
  SOFTWARE_STATEMENT_UNAPPROVED: { status: 400, reason: 'rules.exceeds-controls', message: 'The software statement or its organisation is not active in the directory', expose: true },
  REDIRECT_URI_INVALID: { status: 400, reason: 'field.invalid', message: "redirect_uris must be software_redirect_uris of the software statement", expose: true },
  METADATA_INVALID: { status: 400, reason: 'field.invalid', message: 'The client metadata is invalid', expose: true },
  SCOPE_NOT_PERMITTED: { status: 400, reason: 'field.invalid', message: "scope asks for more than the software statement's roles permit", expose: true },
  SUBJECT_DN_MISMATCH: { status: 400, reason: 'field.invalid', message: 'tls_client_auth_subject_dn must be the subject of the presented transport certificate', expose: true },
});
