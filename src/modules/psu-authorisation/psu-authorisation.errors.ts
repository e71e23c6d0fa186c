import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Why an authorisation journey ends without a consent. Each maps to the OAuth error the PSU is
 * redirected back to the TPP with (RFC 6749 §4.1.2.1), never a bank error page.
 */
export const PsuAuthorisationErrors = defineErrors('PSU_AUTHORISATION', {
  NO_INTENT: { status: 400, reason: 'field.missing', message: 'The request names no consent (openbanking_intent_id)', expose: true },
  CONSENT_UNKNOWN: { status: 400, reason: 'resource.not-found', message: 'The consent is unknown or belongs to another provider', expose: true },
  CONSENT_EXPIRED: { status: 400, reason: 'consent.invalid-status', message: 'The consent has expired', expose: true },
  CONSENT_NOT_AWAITING: { status: 400, reason: 'consent.invalid-status', message: 'The consent cannot be authorised (already authorised, used, rejected or revoked)', expose: true },
  SCOPE_MISMATCH: { status: 400, reason: 'field.invalid', message: 'The requested scope does not cover this consent', expose: true },
  NO_ELIGIBLE_ACCOUNT: { status: 403, reason: 'field.invalid', message: 'You have no account this request can use', expose: true },
  ACCOUNTS_REQUIRED: { status: 400, reason: 'field.missing', message: 'Choose at least one account', expose: true },
  ACCOUNT_NOT_ELIGIBLE: { status: 403, reason: 'field.invalid', message: 'That account cannot be used for this request', expose: true },
  PAYMENT_CHANGED: { status: 400, reason: 'consent.mismatch', message: 'The payment details changed while you were confirming; please start again', expose: true },
  DENIED: { status: 403, reason: 'field.invalid', message: 'The PSU denied the request', expose: true },
});

/** The OAuth error a journey error is returned to the TPP as. */
export function oauthErrorFor(code: string): 'access_denied' | 'invalid_request' {
  return code === PsuAuthorisationErrors.NO_INTENT.code || code === PsuAuthorisationErrors.SCOPE_MISMATCH.code ? 'invalid_request' : 'access_denied';
}
