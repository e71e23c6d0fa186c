import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Certificate problems answer 401 (the client did not authenticate); a genuine certificate whose
 * organisation may not act answers 403. Messages are exposed: they tell a TPP which check failed
 * without revealing anything about other TPPs.
 */
export const DirectoryErrors = defineErrors('DIRECTORY', {
  CERTIFICATE_MALFORMED: { status: 401, reason: 'header.invalid', message: 'The client certificate cannot be parsed', expose: true },
  CERTIFICATE_UNTRUSTED: { status: 401, reason: 'header.invalid', message: 'The client certificate does not chain to a trusted QTSP', expose: true },
  CERTIFICATE_NOT_YET_VALID: { status: 401, reason: 'header.invalid', message: 'The client certificate is not yet valid', expose: true },
  CERTIFICATE_EXPIRED: { status: 401, reason: 'header.invalid', message: 'The client certificate has expired', expose: true },
  CERTIFICATE_USAGE_INVALID: { status: 401, reason: 'header.invalid', message: 'The certificate may not be used for this purpose', expose: true },
  CERTIFICATE_UNKNOWN: { status: 401, reason: 'header.invalid', message: 'The certificate is not registered in the directory', expose: true },
  CERTIFICATE_REVOKED: { status: 401, reason: 'header.invalid', message: 'The client certificate has been revoked', expose: true },
  QC_STATEMENT_MISSING: { status: 401, reason: 'header.invalid', message: 'The certificate carries no PSD2 QCStatement', expose: true },
  ORGANISATION_IDENTIFIER_MISSING: { status: 401, reason: 'header.invalid', message: 'The certificate subject has no organizationIdentifier', expose: true },
  ORGANISATION_UNKNOWN: { status: 403, reason: 'rules.exceeds-controls', message: 'The organisation is not registered in the directory', expose: true },
  ORGANISATION_SUSPENDED: { status: 403, reason: 'rules.exceeds-controls', message: 'The organisation is suspended', expose: true },
  ORGANISATION_REVOKED: { status: 403, reason: 'rules.exceeds-controls', message: 'The organisation has been revoked', expose: true },
  ROLES_NOT_AUTHORISED: { status: 403, reason: 'rules.exceeds-controls', message: 'The certificate carries no PSD2 role the organisation holds', expose: true },
  ORGANISATION_NOT_FOUND: { status: 404, reason: 'resource.not-found', message: 'No such organisation', expose: true },
  SOFTWARE_STATEMENT_NOT_FOUND: { status: 404, reason: 'resource.not-found', message: 'No such software statement', expose: true },
  CERTIFICATE_NOT_FOUND: { status: 404, reason: 'resource.not-found', message: 'No such certificate', expose: true },
  INVALID_ROLES: { status: 400, reason: 'field.invalid', message: 'roles must be a non-empty subset of AISP, PISP, CBPII', expose: true },
  INVALID_ORGANISATION_NAME: { status: 400, reason: 'field.invalid', message: 'organisationName must be 1 to 64 characters with no control characters', expose: true },
  DIRECTORY_UNAVAILABLE: { status: 503, reason: 'unexpected', message: 'The directory cannot be reached to vouch for the TPP; retry later', expose: true },
  INVALID_REDIRECT_URIS: { status: 400, reason: 'field.invalid', message: 'redirectUris must be one or more absolute https URLs without a fragment', expose: true },
});
