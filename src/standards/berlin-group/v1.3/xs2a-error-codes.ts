import type { ErrorReason } from '../../../platform/errors/index.ts';

/** A Berlin Group `tppMessages` code with the HTTP status the Implementation Guidelines tie it to. */
export interface Xs2aCode {
  readonly status: number;
  readonly code: string;
}

const at = (status: number, code: string): Xs2aCode => ({ status, code });

/**
 * Errors whose meaning has an exact XS2A code (NextGenPSD2 Implementation Guidelines v1.3.12,
 * "Additional Error Information"), by the module catalogue's code. Unknown and foreign resources
 * answer alike, so ids reveal nothing.
 */
const BY_ERROR_CODE: Record<string, Xs2aCode> = {
  'XS2A.CERTIFICATE_MISSING': at(401, 'CERTIFICATE_MISSING'),
  'XS2A.CERTIFICATE_UNTRUSTED': at(401, 'CERTIFICATE_INVALID'),
  'XS2A.ROLE_INVALID': at(401, 'ROLE_INVALID'),
  'XS2A.SIGNATURE_MISSING': at(401, 'SIGNATURE_MISSING'),
  'XS2A.SIGNATURE_INVALID': at(401, 'SIGNATURE_INVALID'),
  'XS2A.SEAL_NOT_OF_TPP': at(401, 'CERTIFICATE_INVALID'),
  'XS2A.SESSIONS_NOT_SUPPORTED': at(400, 'SESSIONS_NOT_SUPPORTED'),
  'XS2A.PARAMETER_NOT_SUPPORTED': at(400, 'PARAMETER_NOT_SUPPORTED'),
  'XS2A.PARAMETER_NOT_CONSISTENT': at(400, 'PARAMETER_NOT_CONSISTENT'),
  'XS2A.PERIOD_INVALID': at(400, 'PERIOD_INVALID'),
  'XS2A.PRODUCT_UNKNOWN': at(404, 'PRODUCT_UNKNOWN'),
  'XS2A.SERVICE_INVALID': at(405, 'SERVICE_INVALID'),
  'XS2A.CANCELLATION_INVALID': at(405, 'CANCELLATION_INVALID'),
  'PAYMENT.NOT_CANCELLABLE': at(405, 'CANCELLATION_INVALID'),
  'XS2A.RESOURCE_UNKNOWN': at(404, 'RESOURCE_UNKNOWN'),
  // A paymentId in the path that is unknown or another TPP's (IG: RESOURCE_UNKNOWN, 403 for a path's resource).
  'XS2A.PAYMENT_UNKNOWN': at(403, 'RESOURCE_UNKNOWN'),
  'XS2A.REQUESTED_FORMATS_INVALID': at(406, 'REQUESTED_FORMATS_INVALID'),
  'XS2A.PAIN001_INVALID': at(400, 'FORMAT_ERROR'),
  'XS2A.MEDIA_TYPE_INVALID': at(415, 'FORMAT_ERROR'),
  'XS2A.EXECUTION_DATE_INVALID': at(400, 'EXECUTION_DATE_INVALID'),
  'DIRECTORY.CERTIFICATE_EXPIRED': at(401, 'CERTIFICATE_EXPIRED'),
  'DIRECTORY.CERTIFICATE_REVOKED': at(401, 'CERTIFICATE_REVOKED'),
  'DIRECTORY.ORGANISATION_SUSPENDED': at(401, 'CERTIFICATE_BLOCKED'),
  'DIRECTORY.ORGANISATION_REVOKED': at(401, 'CERTIFICATE_BLOCKED'),
  'DIRECTORY.REGISTER_WITHDRAWN': at(401, 'CERTIFICATE_BLOCKED'),
  'DIRECTORY.ROLES_NOT_AUTHORISED': at(401, 'ROLE_INVALID'),
  'DIRECTORY.REGISTER_NOT_PASSPORTED': at(401, 'ROLE_INVALID'),
  'DIRECTORY.REGISTER_UNKNOWN': at(401, 'CERTIFICATE_INVALID'),
  'DIRECTORY.ORGANISATION_UNKNOWN': at(401, 'CERTIFICATE_INVALID'),
  // The consent named in the path is unknown or another TPP's (403); in the Consent-ID header (400).
  'CONSENT.NOT_FOUND': at(403, 'CONSENT_UNKNOWN'),
  'XS2A.CONSENT_ID_MISSING': at(400, 'FORMAT_ERROR'),
  'XS2A.CONSENT_UNKNOWN': at(400, 'CONSENT_UNKNOWN'),
  'XS2A.CONSENT_NOT_FOR_ACCOUNT': at(401, 'CONSENT_INVALID'),
  'PSU_AUTHORISATION.CONSENT_UNKNOWN': at(403, 'CONSENT_UNKNOWN'),
  'PSU_AUTHORISATION.CONSENT_EXPIRED': at(401, 'CONSENT_EXPIRED'),
  'PSU_AUTHORISATION.CONSENT_NOT_AWAITING': at(409, 'STATUS_INVALID'),
  'PSU_AUTHORISATION.SCA_UNKNOWN': at(403, 'RESOURCE_UNKNOWN'),
  // Signing baskets (IG §"Signing Baskets"): a basket in the path unknown or another TPP's (403), a member in the body (400);
  // a member already authorised or in another basket REFERENCE_STATUS_INVALID, one the bank cannot put in a basket REFERENCE_MIX_INVALID.
  'SIGNING_BASKET.NOT_FOUND': at(403, 'RESOURCE_UNKNOWN'),
  'SIGNING_BASKET.MEMBER_UNKNOWN': at(400, 'RESOURCE_UNKNOWN'),
  'SIGNING_BASKET.MEMBER_NOT_AWAITING': at(409, 'REFERENCE_STATUS_INVALID'),
  'SIGNING_BASKET.MEMBER_NOT_SUPPORTED': at(400, 'REFERENCE_MIX_INVALID'),
  'SIGNING_BASKET.NOT_AWAITING': at(409, 'STATUS_INVALID'),
  'SIGNING_BASKET.NOT_CANCELLABLE': at(409, 'STATUS_INVALID'),
  'PSU_AUTHORISATION.CONSENT_IN_BASKET': at(409, 'STATUS_INVALID'),
  // A consent not (or no longer) valid, or not covering the resource or account addressed.
  'CONSENT.NOT_AUTHORISED': at(401, 'CONSENT_INVALID'),
  'CONSENT.EXPIRED': at(401, 'CONSENT_EXPIRED'),
  'CONSENT.ALREADY_REVOKED': at(409, 'STATUS_INVALID'),
  'CONSENT.UNATTENDED_ACCESS_EXCEEDED': at(429, 'ACCESS_EXCEEDED'),
  // The TPP's or its consent's allowance per window (src/modules/rate-limits): the nearest code, with Retry-After.
  'RATE_LIMIT.CLIENT_EXCEEDED': at(429, 'ACCESS_EXCEEDED'),
  'RATE_LIMIT.CONSENT_EXCEEDED': at(429, 'ACCESS_EXCEEDED'),
  'ACCOUNTS.PERMISSION_MISSING': at(401, 'CONSENT_INVALID'),
  'ACCOUNTS.NOT_IN_CONSENT': at(401, 'CONSENT_INVALID'),
  // A transactionId in the path unknown on the account, or not for this consent to see (as a paymentId in the path).
  'ACCOUNTS.TRANSACTION_NOT_FOUND': at(403, 'RESOURCE_UNKNOWN'),
  'HTTP.NOT_FOUND': at(404, 'RESOURCE_UNKNOWN'),
  'HTTP.METHOD_NOT_ALLOWED': at(405, 'SERVICE_INVALID'),
  'HTTP.NOT_ACCEPTABLE': at(406, 'REQUESTED_FORMATS_INVALID'),
  'HTTP.TOO_MANY_REQUESTS': at(429, 'ACCESS_EXCEEDED'),
};

/** Every other error by its neutral reason: the nearest XS2A code. */
function byReason(reason: ErrorReason, status: number): Xs2aCode {
  if (status >= 500) return at(status, status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR');
  if (status === 415) return at(415, 'FORMAT_ERROR');
  if (status === 429) return at(429, 'ACCESS_EXCEEDED');
  switch (reason) {
    case 'resource.not-found':
      return at(404, 'RESOURCE_UNKNOWN');
    case 'consent.invalid-status':
      return at(409, 'STATUS_INVALID');
    case 'consent.mismatch':
      return at(401, 'CONSENT_INVALID');
    case 'signature.invalid':
    case 'signature.invalid-claim':
    case 'signature.missing-claim':
    case 'signature.malformed':
    case 'signature.unexpected':
      return at(401, 'SIGNATURE_INVALID');
    case 'signature.missing':
      return at(401, 'SIGNATURE_MISSING');
    case 'unsupported.account-identifier':
    case 'unsupported.account-secondary-identifier':
    case 'unsupported.currency':
    case 'unsupported.event-type':
    case 'unsupported.frequency':
    case 'unsupported.local-instrument':
    case 'unsupported.scheme':
      return at(400, 'PARAMETER_NOT_SUPPORTED');
    case 'rules.exceeds-controls':
      return status === 401 ? at(401, 'ROLE_INVALID') : at(403, 'SERVICE_BLOCKED');
    case 'header.invalid':
      return status === 401 ? at(401, 'CERTIFICATE_INVALID') : at(400, 'FORMAT_ERROR');
    default:
      return at(400, 'FORMAT_ERROR');
  }
}

/** The XS2A code and status of an error, from its catalogue code or else its neutral reason. */
export function xs2aCodeOf(errorCode: string, reason: ErrorReason, status: number): Xs2aCode {
  return BY_ERROR_CODE[errorCode] ?? byReason(reason, status);
}
