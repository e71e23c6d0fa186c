import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Errors of payment consents and payments. Details name fields by neutral
 * `FieldRef`s, which each facade maps to its wire paths. Another TPP's payment answers exactly like a missing one.
 */
export const PaymentErrors = defineErrors('PAYMENT', {
  NOT_FOUND: { status: 400, reason: 'resource.not-found', message: 'Payment not found', expose: true },
  AMOUNT_INVALID: { status: 400, reason: 'field.invalid', message: 'The amount must be positive with no more decimal places than its currency has', expose: true },
  CURRENCY_UNSUPPORTED: { status: 400, reason: 'unsupported.currency', message: 'The bank does not make payments in this currency', expose: true },
  ACCOUNT_SCHEME_UNSUPPORTED: { status: 400, reason: 'unsupported.account-identifier', message: 'Accounts must be identified by a UK sort code and account number or an IBAN', expose: true },
  ACCOUNT_IDENTIFICATION_INVALID: { status: 400, reason: 'field.invalid', message: 'The account identification is not valid for its scheme', expose: true },
  DEBTOR_ACCOUNT_UNKNOWN: { status: 400, reason: 'field.invalid', message: 'DebtorAccount is not an account this bank can debit', expose: true },
  // The submission names another consent than the one its PSU token was issued for.
  CONSENT_NOT_OF_TOKEN: { status: 403, reason: 'consent.mismatch', message: 'ConsentId is not the consent the access token was issued for', expose: true },
  // OB v4.0 domestic payments: "If the two do not match, the ASPSP must not process the request and must respond with a 400".
  CONSENT_MISMATCH: { status: 400, reason: 'consent.mismatch', message: 'The payment must be exactly the one the PSU authorised', expose: true },
});
