import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * Why an authorisation journey ends without a consent. Each maps to the OAuth error the PSU is
 * redirected back to the TPP with (RFC 6749 §4.1.2.1), never a bank error page.
 */
export const PsuAuthorisationErrors = defineErrors('PSU_AUTHORISATION', {
  NO_INTENT: exposed(400, 'field.missing', 'The request names no consent (openbanking_intent_id)'),
  CONSENT_UNKNOWN: exposed(400, 'resource.not-found', 'The consent is unknown or belongs to another provider'),
  CONSENT_EXPIRED: exposed(400, 'consent.invalid-status', 'The consent has expired'),
  CONSENT_NOT_AWAITING: exposed(400, 'consent.invalid-status', 'The consent cannot be authorised (already authorised, used, rejected or revoked)'),
  SCOPE_MISMATCH: exposed(400, 'field.invalid', 'The requested scope does not cover this consent'),
  NO_ELIGIBLE_ACCOUNT: exposed(403, 'field.invalid', 'You have no account this request can use'),
  ACCOUNTS_REQUIRED: exposed(400, 'field.missing', 'Choose at least one account'),
  ACCOUNT_NOT_ELIGIBLE: exposed(403, 'field.invalid', 'That account cannot be used for this request'),
  PAYMENT_CHANGED: exposed(400, 'consent.mismatch', 'The payment details changed while you were confirming; please start again'),
  DENIED: exposed(403, 'field.invalid', 'The PSU denied the request'),
  CONSENT_IN_BASKET: exposed(409, 'consent.invalid-status', 'The consent is in a signing basket awaiting authorisation: it is authorised with its basket'),
  BASKET_MEMBER_NOT_AWAITING: exposed(409, 'consent.invalid-status', 'A payment or consent of the signing basket no longer awaits authorisation: nothing was authorised'),
  SCA_UNKNOWN: exposed(404, 'resource.not-found', 'No such authorisation of this consent'),
  SCA_ENDED: exposed(400, 'consent.invalid-status', 'This authorisation has ended (completed, failed or timed out); the provider can start a new one'),
});

/** The OAuth error a journey error is returned to the TPP as. */
export function oauthErrorFor(code: string): 'access_denied' | 'invalid_request' {
  return code === PsuAuthorisationErrors.NO_INTENT.code || code === PsuAuthorisationErrors.SCOPE_MISMATCH.code ? 'invalid_request' : 'access_denied';
}
