import { AppError, defineErrors, exposed } from '../../platform/errors/index.ts';
import type { Operator } from './operator.ts';

/** One message for a wrong username and a wrong password (no username enumeration), as for PSUs. */
export const OperatorsErrors = defineErrors('OPERATORS', {
  INVALID_CREDENTIALS: exposed(401, 'field.invalid', 'The username or password is not correct'),
  INVALID_ONE_TIME_CODE: exposed(401, 'field.invalid', 'The one-time code is not correct'),
  USERNAME_TAKEN: exposed(409, 'field.invalid', 'That username is taken'),
  INVALID_OPERATOR: exposed(400, 'field.invalid', 'A username of 3 to 64 letters, digits, dots or dashes and a password of at least 12 characters are needed'),
  NOT_FOUND: exposed(404, 'resource.not-found', 'No such operator'),
  INVALID_PASSKEY_NAME: exposed(400, 'field.invalid', 'Name the passkey (1 to 64 characters) so that you can tell it from your others'),
  PASSKEY_FAILED: exposed(401, 'field.invalid', 'The passkey could not be verified'),
  PASSKEY_NOT_FOUND: exposed(404, 'resource.not-found', 'No such passkey'),
});

/**
 * Why a passkey ceremony was refused, for the audit trail: `challenge` (none pending for this
 * ceremony: expired, already answered, or another's), `unknown-credential` (not registered, or
 * removed), `user-handle` (the response names another operator than the credential's owner),
 * `verification` (signature, origin, RP ID, user verification or counter), `disabled` (the
 * operator's login is disabled), `credential-registered` (the credential id is already someone's).
 */
export type PasskeyRefusal = 'challenge' | 'unknown-credential' | 'user-handle' | 'verification' | 'disabled' | 'credential-registered';

/** OPERATORS.PASSKEY_FAILED with the reason and, when known, whose passkey it was: one message for all. */
export class PasskeyRefused extends AppError {
  constructor(
    readonly refusal: PasskeyRefusal,
    readonly operator?: Operator,
  ) {
    super(OperatorsErrors.PASSKEY_FAILED);
    this.name = 'PasskeyRefused';
  }
}
