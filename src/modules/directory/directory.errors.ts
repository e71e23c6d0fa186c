import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * Certificate problems answer 401 (the client did not authenticate); a genuine certificate whose
 * organisation may not act answers 403. Messages are exposed: they tell a TPP which check failed
 * without revealing anything about other TPPs.
 */
export const DirectoryErrors = defineErrors('DIRECTORY', {
  CERTIFICATE_MALFORMED: exposed(401, 'header.invalid', 'The client certificate cannot be parsed'),
  CERTIFICATE_UNTRUSTED: exposed(401, 'header.invalid', 'The client certificate does not chain to a trusted QTSP'),
  CERTIFICATE_NOT_QUALIFIED_FOR_USE: exposed(401, 'header.invalid', 'The CA that issued the certificate is not a qualified CA for this use in its trusted list'),
  ISSUER_NOT_QUALIFIED_AT_ISSUANCE: exposed(401, 'header.invalid', 'The CA that issued the certificate was not granted in its trusted list when it issued it'),
  CERTIFICATE_NOT_YET_VALID: exposed(401, 'header.invalid', 'The client certificate is not yet valid'),
  CERTIFICATE_EXPIRED: exposed(401, 'header.invalid', 'The client certificate has expired'),
  CERTIFICATE_USAGE_INVALID: exposed(401, 'header.invalid', 'The certificate may not be used for this purpose'),
  CERTIFICATE_UNKNOWN: exposed(401, 'header.invalid', 'The certificate is not registered in the directory'),
  CERTIFICATE_REVOKED: exposed(401, 'header.invalid', 'The client certificate has been revoked'),
  CERTIFICATE_REVOCATION_UNKNOWN: exposed(401, 'header.invalid', 'The issuer of the client certificate does not know it (OCSP status unknown)'),
  QC_STATEMENT_MISSING: exposed(401, 'header.invalid', 'The certificate carries no PSD2 QCStatement'),
  ORGANISATION_IDENTIFIER_MISSING: exposed(401, 'header.invalid', 'The certificate subject has no organizationIdentifier'),
  ORGANISATION_UNKNOWN: exposed(403, 'rules.exceeds-controls', 'The organisation is not registered in the directory'),
  ORGANISATION_SUSPENDED: exposed(403, 'rules.exceeds-controls', 'The organisation is suspended'),
  ORGANISATION_REVOKED: exposed(403, 'rules.exceeds-controls', 'The organisation has been revoked'),
  ROLES_NOT_AUTHORISED: exposed(403, 'rules.exceeds-controls', 'The certificate carries no PSD2 role the organisation holds'),
  REGISTER_UNKNOWN: exposed(403, 'rules.exceeds-controls', 'No competent authority register lists the organisation'),
  REGISTER_WITHDRAWN: exposed(403, 'rules.exceeds-controls', "The competent authority's register shows the organisation's authorisation withdrawn"),
  REGISTER_NOT_PASSPORTED: exposed(403, 'rules.exceeds-controls', "The organisation is neither authorised nor passported to provide its services in the bank's country"),
  ORGANISATION_NOT_FOUND: exposed(404, 'resource.not-found', 'No such organisation'),
  SOFTWARE_STATEMENT_NOT_FOUND: exposed(404, 'resource.not-found', 'No such software statement'),
  CERTIFICATE_NOT_FOUND: exposed(404, 'resource.not-found', 'No such certificate'),
  INVALID_ROLES: exposed(400, 'field.invalid', 'roles must be a non-empty subset of AISP, PISP, CBPII'),
  INVALID_ORGANISATION_NAME: exposed(400, 'field.invalid', 'organisationName must be 1 to 64 characters with no control characters'),
  DIRECTORY_UNAVAILABLE: exposed(503, 'unexpected', 'The directory cannot be reached to vouch for the TPP; retry later'),
  REVOCATION_UNAVAILABLE: exposed(503, 'unexpected', 'Whether the client certificate is revoked cannot be established now (OCSP and CRL unreachable); retry later'),
  CSR_MALFORMED: exposed(400, 'field.invalid', 'csr must be a PEM PKCS#10 certificate signing request'),
  CSR_SIGNATURE_INVALID: exposed(400, 'field.invalid', 'The certificate signing request is not signed with the key it is for'),
  CSR_KEY_UNSUPPORTED: exposed(400, 'field.invalid', 'The key must be ECDSA on P-256 or P-384, or RSA of 2048 bits or more'),
  NOT_YOUR_ORGANISATION: exposed(403, 'rules.exceeds-controls', "The transport certificate is not one of this organisation's"),
  INVALID_REDIRECT_URIS: exposed(400, 'field.invalid', 'redirectUris must be one or more absolute https URLs without a fragment'),
});
