import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * A TPP over its allowance (RFC 6585 §4): 429 with `Retry-After` (the error's `retryAfterSeconds`).
 * The reason is the one of the consent's daily quota (`CONSENT.UNATTENDED_ACCESS_EXCEEDED`): OB v4.0
 * answers both with the same code, Berlin Group with ACCESS_EXCEEDED.
 */
export const RateLimitErrors = defineErrors('RATE_LIMIT', {
  CLIENT_EXCEEDED: exposed(429, 'rules.exceeds-controls', 'Too many requests from this TPP to this API: retry after the delay given in Retry-After'),
  CONSENT_EXCEEDED: exposed(429, 'rules.exceeds-controls', 'Too many requests under this consent: retry after the delay given in Retry-After'),
});
