import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * Errors of idempotent resource creation. The OB error code set has no idempotency code: a key that
 * is missing or unusable is a header problem (OB: Header.Missing U007 / Header.Invalid U006, 400),
 * and so is a key reused for another request, since the key, not the body, is what is wrong.
 */
export const IdempotencyErrors = defineErrors('IDEMPOTENCY', {
  KEY_MISSING: exposed(400, 'header.missing', 'An idempotency key is required'),
  KEY_INVALID: exposed(400, 'header.invalid', 'The idempotency key must be 1 to 40 characters, without leading or trailing white space'),
  KEY_REUSED: exposed(400, 'header.invalid', 'The idempotency key was used for a different request in the last 24 hours'),
});
