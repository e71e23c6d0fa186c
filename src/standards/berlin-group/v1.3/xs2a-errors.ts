import { defineErrors, exposed } from '../../../platform/errors/index.ts';

/**
 * The facade's own refusals: what only the XS2A wire can get wrong (its headers, its request
 * signatures, its products). Module errors are mapped in `xs2a-error-codes.ts`.
 */
export const Xs2aErrors = defineErrors('XS2A', {
  REQUEST_ID_INVALID: exposed(400, 'header.invalid', 'X-Request-ID must be a UUID'),
  PSU_IP_ADDRESS_MISSING: exposed(400, 'header.missing', 'PSU-IP-Address is required for this request'),
  PSU_IP_ADDRESS_INVALID: exposed(400, 'header.invalid', 'PSU-IP-Address must be an IPv4 or IPv6 address'),
  REDIRECT_URI_MISSING: exposed(400, 'header.missing', 'TPP-Redirect-URI is required: this bank offers the redirect SCA approach'),
  REDIRECT_URI_INVALID: exposed(400, 'header.invalid', 'TPP-Redirect-URI and TPP-Nok-Redirect-URI must be absolute https URLs without a fragment'),
  CONSENT_ID_MISSING: exposed(400, 'header.missing', 'Consent-ID is required'),
  CONSENT_UNKNOWN: exposed(400, 'resource.not-found', 'The Consent-ID names no consent of this TPP'),
  CONSENT_NOT_FOR_ACCOUNT: exposed(401, 'consent.mismatch', 'The consent is for another account'),
  CERTIFICATE_MISSING: exposed(401, 'header.missing', 'A qualified website authentication certificate (QWAC) is required on the TLS connection'),
  CERTIFICATE_UNTRUSTED: exposed(401, 'header.invalid', 'The TLS client certificate is not trusted'),
  ROLE_INVALID: exposed(401, 'rules.exceeds-controls', 'The TPP does not hold the PSD2 role this service needs'),
  SIGNATURE_MISSING: exposed(401, 'signature.missing', 'This bank requires requests to be signed (Digest, Signature, TPP-Signature-Certificate)'),
  SIGNATURE_INVALID: exposed(401, 'signature.invalid', 'The request signature is not valid'),
  SEAL_NOT_OF_TPP: exposed(401, 'signature.invalid', 'The signature certificate is not a trusted seal of the TPP on the TLS connection'),
  SESSIONS_NOT_SUPPORTED: exposed(400, 'unsupported.scheme', 'combinedServiceIndicator: this bank does not offer sessions combining AIS and PIS'),
  PARAMETER_NOT_SUPPORTED: exposed(400, 'unsupported.scheme', 'This bank does not support the parameter'),
  PARAMETER_NOT_CONSISTENT: exposed(400, 'field.invalid', 'The parameters are not consistent with each other'),
  PERIOD_INVALID: exposed(400, 'field.invalid-date', 'The requested period is not valid'),
  PRODUCT_UNKNOWN: exposed(404, 'resource.not-found', 'This bank does not offer the payment product'),
  SERVICE_INVALID: exposed(405, 'resource.not-found', 'The service is not offered for this resource'),
  CANCELLATION_INVALID: exposed(405, 'consent.invalid-status', 'The payment can no longer be cancelled'),
  RESOURCE_UNKNOWN: exposed(404, 'resource.not-found', 'No such resource'),
  PAYMENT_UNKNOWN: exposed(403, 'resource.not-found', 'No such payment of this TPP'),
  REQUESTED_FORMATS_INVALID: exposed(406, 'field.invalid', 'The requested format is not offered (application/json only)'),
  AMOUNT_INVALID: exposed(400, 'field.invalid', "The amount is not an amount above zero in the currency's decimal places that this bank can book"),
  PAIN001_INVALID: exposed(400, 'resource.invalid-format', 'The body is not a pain.001 document this bank reads'),
  MEDIA_TYPE_INVALID: exposed(415, 'header.invalid', 'The body is not of the media type of the payment product: application/json, or application/xml for the pain.001 products'),
  EXECUTION_DATE_INVALID: exposed(400, 'field.invalid-date', 'The requested execution date is not a valid execution date for this bank'),
});
