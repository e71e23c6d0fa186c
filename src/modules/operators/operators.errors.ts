import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** One message for a wrong username and a wrong password (no username enumeration), as for PSUs. */
export const OperatorsErrors = defineErrors('OPERATORS', {
  INVALID_CREDENTIALS: exposed(401, 'field.invalid', 'The username or password is not correct'),
  INVALID_ONE_TIME_CODE: exposed(401, 'field.invalid', 'The one-time code is not correct'),
  USERNAME_TAKEN: exposed(409, 'field.invalid', 'That username is taken'),
  INVALID_OPERATOR: exposed(400, 'field.invalid', 'A username of 3 to 64 letters, digits, dots or dashes and a password of at least 12 characters are needed'),
  NOT_FOUND: exposed(404, 'resource.not-found', 'No such operator'),
});
