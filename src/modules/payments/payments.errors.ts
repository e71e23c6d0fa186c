import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Errors of payment consents and payments. Paths name the OB v4.0 fields (the richest wire model;
 * other facades map them). Another TPP's payment answers exactly like a missing one.
 */
export const PaymentErrors = defineErrors('PAYMENT', {
  NOT_FOUND: { status: 400, reason: 'Resource.NotFound', message: 'Payment not found', expose: true },
  AMOUNT_INVALID: { status: 400, reason: 'Field.Invalid', message: 'The amount must be positive with no more decimal places than its currency has', expose: true },
  CURRENCY_UNSUPPORTED: { status: 400, reason: 'Unsupported.Currency', message: 'The bank does not make payments in this currency', expose: true },
  ACCOUNT_SCHEME_UNSUPPORTED: { status: 400, reason: 'Unsupported.AccountIdentifier', message: 'Accounts must be identified by UK.OBIE.SortCodeAccountNumber or UK.OBIE.IBAN', expose: true },
  ACCOUNT_IDENTIFICATION_INVALID: { status: 400, reason: 'Field.Invalid', message: 'The account identification is not valid for its scheme', expose: true },
  DEBTOR_ACCOUNT_UNKNOWN: { status: 400, reason: 'Field.Invalid', message: 'DebtorAccount is not an account this bank can debit', expose: true },
  // The submission names another consent than the one its PSU token was issued for.
  CONSENT_NOT_OF_TOKEN: { status: 403, reason: 'Resource.ConsentMismatch', message: 'ConsentId is not the consent the access token was issued for', expose: true },
  // OB v4.0 domestic payments: "If the two do not match, the ASPSP must not process the request and must respond with a 400".
  CONSENT_MISMATCH: { status: 400, reason: 'Resource.ConsentMismatch', message: 'Initiation and Risk must be exactly those of the authorised consent', expose: true },
});
