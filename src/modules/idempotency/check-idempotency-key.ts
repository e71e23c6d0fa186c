import { AppError } from '../../platform/errors/index.ts';
import { IdempotencyErrors } from './idempotency.errors.ts';

/** OB v4.0 OpenAPI `x-idempotency-key`: `maxLength: 40`. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 40;

// OB v4.0 OpenAPI `x-idempotency-key` pattern: no white space first or last, no line breaks.
const KEY_PATTERN = /^(?!\s)(.*)(\S)$/;

/**
 * The idempotency key a request carries, as the header value arrives: absent is KEY_MISSING, and
 * anything the OB header schema refuses (empty, over 40 characters, white space at either end,
 * repeated) is KEY_INVALID.
 */
export function checkIdempotencyKey(value: string | readonly string[] | undefined): string {
  if (value === undefined) throw new AppError(IdempotencyErrors.KEY_MISSING);
  if (typeof value !== 'string' || [...value].length > IDEMPOTENCY_KEY_MAX_LENGTH || !KEY_PATTERN.test(value)) {
    throw new AppError(IdempotencyErrors.KEY_INVALID);
  }
  return value;
}
