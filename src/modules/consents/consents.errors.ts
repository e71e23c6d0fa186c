import { defineErrors } from '../../platform/errors/index.ts';

export const ConsentErrors = defineErrors('CONSENT', {
  // Another TPP's consent answers exactly like a missing one, so ids reveal nothing (OB: 400 U011 for unknown ids).
  NOT_FOUND: { status: 400, reason: 'resource.not-found', message: 'Consent not found', expose: true },
  NOT_AWAITING_AUTHORISATION: { status: 400, reason: 'consent.invalid-status', message: 'Consent is not awaiting authorisation', expose: true },
  // A file payment consent takes one file: a second upload, or one after authorisation, is refused.
  NOT_AWAITING_UPLOAD: { status: 400, reason: 'consent.invalid-status', message: 'Consent is not awaiting the upload of its file', expose: true },
  NOT_AUTHORISED: { status: 403, reason: 'consent.invalid-status', message: 'Consent is not authorised', expose: true },
  EXPIRED: { status: 403, reason: 'consent.invalid-status', message: 'Consent has expired', expose: true },
  ALREADY_REVOKED: { status: 400, reason: 'consent.invalid-status', message: 'Consent is already revoked or rejected', expose: true },
  PERMISSIONS_INVALID: { status: 400, reason: 'field.invalid', message: 'Permissions are not a valid combination', expose: true },
  EXPIRATION_IN_PAST: { status: 400, reason: 'field.invalid-date', message: 'ExpirationDateTime must be in the future', expose: true },
  TRANSACTION_WINDOW_INVALID: { status: 400, reason: 'field.invalid-date', message: 'TransactionFromDateTime must not be after TransactionToDateTime', expose: true },
  NO_ACCOUNTS_SELECTED: { status: 400, reason: 'field.missing', message: 'At least one account must be selected', expose: true },
  ACCOUNT_NOT_OWNED: { status: 403, reason: 'field.invalid', message: 'Selected account does not belong to the PSU', expose: true },
});
