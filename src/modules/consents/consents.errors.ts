import { defineErrors, exposed } from '../../platform/errors/index.ts';

export const ConsentErrors = defineErrors('CONSENT', {
  // Another TPP's consent answers exactly like a missing one, so ids reveal nothing (OB: 400 U011 for unknown ids).
  NOT_FOUND: exposed(400, 'resource.not-found', 'Consent not found'),
  NOT_AWAITING_AUTHORISATION: exposed(400, 'consent.invalid-status', 'Consent is not awaiting authorisation'),
  // A file payment consent takes one file: a second upload, or one after authorisation, is refused.
  NOT_AWAITING_UPLOAD: exposed(400, 'consent.invalid-status', 'Consent is not awaiting the upload of its file'),
  NOT_AUTHORISED: exposed(403, 'consent.invalid-status', 'Consent is not authorised'),
  EXPIRED: exposed(403, 'consent.invalid-status', 'Consent has expired'),
  ALREADY_REVOKED: exposed(400, 'consent.invalid-status', 'Consent is already revoked or rejected'),
  PERMISSIONS_INVALID: exposed(400, 'field.invalid', 'Permissions are not a valid combination'),
  EXPIRATION_IN_PAST: exposed(400, 'field.invalid-date', 'ExpirationDateTime must be in the future'),
  TRANSACTION_WINDOW_INVALID: exposed(400, 'field.invalid-date', 'TransactionFromDateTime must not be after TransactionToDateTime'),
  NO_ACCOUNTS_SELECTED: exposed(400, 'field.missing', 'At least one account must be selected'),
  // PSD2 RTS Art. 36(5)(b): reads without the PSU are limited per day (the consent's `unattendedPerDay`).
  UNATTENDED_ACCESS_EXCEEDED: exposed(429, 'rules.exceeds-controls', 'The consent allows no more reads of this resource today without the PSU taking part'),
  ACCOUNT_NOT_OWNED: exposed(403, 'field.invalid', 'Selected account does not belong to the PSU'),
});
