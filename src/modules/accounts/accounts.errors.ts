import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * Failures of account-information reads. An AccountId that is unknown, another PSU's, or not
 * selected in this consent all answer the same 403, so ids reveal nothing about other accounts.
 */
export const AccountErrors = defineErrors('ACCOUNTS', {
  NOT_IN_CONSENT: exposed(403, 'consent.mismatch', 'The account is not part of this consent'),
  PERMISSION_MISSING: exposed(403, 'consent.mismatch', 'The consent does not grant the permission this resource needs'),
  STATEMENT_NOT_FOUND: exposed(404, 'resource.not-found', 'Statement not found'),
  // Unknown, another account's and outside what the consent lets the TPP see are the same refusal.
  TRANSACTION_NOT_FOUND: exposed(404, 'resource.not-found', 'Transaction not found'),
  PAGE_INVALID: exposed(400, 'field.invalid', 'The page parameter is not valid for this request'),
  DATE_INVALID: exposed(400, 'field.invalid-date', 'The date-time parameter is not valid'),
  FILE_FORMAT_NOT_ACCEPTABLE: exposed(406, 'header.invalid', 'Statement files are available as application/json or text/csv'),
  DATE_RANGE_INVALID: exposed(400, 'field.invalid-date', 'The from date-time is after the to date-time'),
});
