import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Failures of account-information reads. An AccountId that is unknown, another PSU's, or not
 * selected in this consent all answer the same 403, so ids reveal nothing about other accounts.
 */
export const AccountErrors = defineErrors('ACCOUNTS', {
  NOT_IN_CONSENT: { status: 403, reason: 'consent.mismatch', message: 'The account is not part of this consent', expose: true },
  PERMISSION_MISSING: { status: 403, reason: 'consent.mismatch', message: 'The consent does not grant the permission this resource needs', expose: true },
  STATEMENT_NOT_FOUND: { status: 404, reason: 'resource.not-found', message: 'Statement not found', expose: true },
  PAGE_INVALID: { status: 400, reason: 'field.invalid', message: 'The page parameter is not valid for this request', expose: true },
  DATE_INVALID: { status: 400, reason: 'field.invalid-date', message: 'The date-time parameter is not valid', expose: true },
  FILE_FORMAT_NOT_ACCEPTABLE: { status: 406, reason: 'header.invalid', message: 'Statement files are available as application/json or text/csv', expose: true },
  DATE_RANGE_INVALID: { status: 400, reason: 'field.invalid-date', message: 'The from date-time is after the to date-time', expose: true },
});
