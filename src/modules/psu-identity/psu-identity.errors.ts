import { AppError, defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * One message for a wrong username and a wrong password, so the login form does not tell an
 * attacker which usernames exist.
 */
export const PsuIdentityErrors = defineErrors('PSU_IDENTITY', {
  INVALID_CREDENTIALS: exposed(401, 'field.invalid', 'The username or password is not correct'),
  INVALID_ONE_TIME_CODE: exposed(401, 'field.invalid', 'The one-time code is not correct'),
  PASSKEY_FAILED: exposed(401, 'field.invalid', 'The passkey could not be verified'),
  TOO_MANY_ATTEMPTS: exposed(429, 'field.invalid', 'Too many attempts. Try again later'),
  BUSY: exposed(429, 'field.invalid', 'We are busy right now. Try again in a few seconds'),
});

/** "Try again later" (RFC 6585 §4, 429): the attempt was not evaluated; `retryAfterSeconds` is when it may be. */
export class LoginThrottled extends AppError {
  constructor(
    definition: typeof PsuIdentityErrors.TOO_MANY_ATTEMPTS | typeof PsuIdentityErrors.BUSY,
    override readonly retryAfterSeconds: number,
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
