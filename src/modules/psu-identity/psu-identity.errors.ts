import { AppError, defineErrors } from '../../platform/errors/index.ts';

/**
 * One message for a wrong username and a wrong password, so the login form does not tell an
 * attacker which usernames exist.
 */
export const PsuIdentityErrors = defineErrors('PSU_IDENTITY', {
  INVALID_CREDENTIALS: { status: 401, reason: 'field.invalid', message: 'The username or password is not correct', expose: true },
  INVALID_ONE_TIME_CODE: { status: 401, reason: 'field.invalid', message: 'The one-time code is not correct', expose: true },
  PASSKEY_FAILED: { status: 401, reason: 'field.invalid', message: 'The passkey could not be verified', expose: true },
  TOO_MANY_ATTEMPTS: { status: 429, reason: 'field.invalid', message: 'Too many attempts. Try again later', expose: true },
  BUSY: { status: 429, reason: 'field.invalid', message: 'We are busy right now. Try again in a few seconds', expose: true },
});

/** "Try again later" (RFC 6585 §4, 429): the attempt was not evaluated; `retryAfterSeconds` is when it may be. */
export class LoginThrottled extends AppError {
  constructor(
    definition: typeof PsuIdentityErrors.TOO_MANY_ATTEMPTS | typeof PsuIdentityErrors.BUSY,
    readonly retryAfterSeconds: number,
  ) {
    super(definition, { message: definition === PsuIdentityErrors.BUSY ? definition.message : `Too many attempts. Try again in ${waitText(retryAfterSeconds)}` });
    this.name = 'LoginThrottled';
  }
}

function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
