import { defineErrors } from '../../platform/errors/index.ts';

/**
 * One message for a wrong username and a wrong password, so the login form does not tell an
 * attacker which usernames exist.
 */
export const PsuIdentityErrors = defineErrors('PSU_IDENTITY', {
  INVALID_CREDENTIALS: { status: 401, reason: 'Field.Invalid', message: 'The username or password is not correct', expose: true },
  INVALID_ONE_TIME_CODE: { status: 401, reason: 'Field.Invalid', message: 'The one-time code is not correct', expose: true },
  PASSKEY_FAILED: { status: 401, reason: 'Field.Invalid', message: 'The passkey could not be verified', expose: true },
  LOCKED: { status: 423, reason: 'Field.Invalid', message: 'Too many failed attempts. Try again later', expose: true },
});
