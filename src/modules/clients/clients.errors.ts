import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * Errors of TPP client registration (OB DCR v3.4, RFC 7591/7592). Every message is exposed: it
 * tells the TPP which rule its request broke and nothing about other TPPs. The DCR facade maps
 * the codes to the spec's `RegistrationError` values; 401/403 are authentication failures.
 */
export const ClientsErrors = defineErrors('CLIENTS', {
  CERTIFICATE_MISSING: exposed(401, 'header.missing', 'A transport certificate (mutual TLS) is required'),
  CERTIFICATE_ORGANISATION_MISMATCH: exposed(403, 'rules.exceeds-controls', 'The transport certificate belongs to another organisation than the software statement'),
  ACCESS_TOKEN_MISSING: exposed(401, 'header.missing', 'A client-credentials access token (Authorization: Bearer) is required'),
  ACCESS_TOKEN_INVALID: exposed(401, 'header.invalid', 'The access token is invalid, expired, or not bound to the presented certificate'),
  CLIENT_FORBIDDEN: exposed(403, 'rules.exceeds-controls', 'The access token does not permit access to this client'),
  REQUEST_MALFORMED: exposed(400, 'signature.malformed', 'The registration request must be a signed JWT (JWS compact serialisation)'),
  REQUEST_ALG_UNSUPPORTED: exposed(400, 'signature.invalid', 'The registration request must be signed with PS256 or ES256'),
  REQUEST_KID_MISSING: exposed(400, 'signature.missing-claim', 'The registration request header must name its signing key (kid)'),
  REQUEST_SIGNATURE_INVALID: exposed(400, 'signature.invalid', 'The registration request does not verify with a signing key of the software statement'),
  REQUEST_CLAIM_INVALID: exposed(400, 'signature.invalid-claim', 'A claim of the registration request is invalid'),
  REQUEST_REPLAYED: exposed(400, 'signature.invalid-claim', 'The registration request (its jti) has been used before'),
  SOFTWARE_STATEMENT_INVALID: exposed(400, 'signature.invalid', 'software_statement is not a valid SSA signed by the directory'),
  SOFTWARE_STATEMENT_MISMATCH: exposed(400, 'field.invalid', 'The software statement is for other software than this client'),
  SOFTWARE_STATEMENT_UNAPPROVED: exposed(400, 'rules.exceeds-controls', 'The software statement or its organisation is not active in the directory'),
  REDIRECT_URI_INVALID: exposed(400, 'field.invalid', "redirect_uris must be software_redirect_uris of the software statement"),
  METADATA_INVALID: exposed(400, 'field.invalid', 'The client metadata is invalid'),
  SCOPE_NOT_PERMITTED: exposed(400, 'field.invalid', "scope asks for more than the software statement's roles permit"),
  SUBJECT_DN_MISMATCH: exposed(400, 'field.invalid', 'tls_client_auth_subject_dn must be the subject of the presented transport certificate'),
});
