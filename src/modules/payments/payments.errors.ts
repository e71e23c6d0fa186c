import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * Errors of payment consents and payments. Details name fields by neutral
 * `FieldRef`s, which each facade maps to its wire paths. Another TPP's payment answers exactly like a missing one.
 */
export const PaymentErrors = defineErrors('PAYMENT', {
  NOT_FOUND: exposed(400, 'resource.not-found', 'Payment not found'),
  AMOUNT_INVALID: exposed(400, 'field.invalid', 'The amount must be positive with no more decimal places than its currency has'),
  CURRENCY_UNSUPPORTED: exposed(400, 'unsupported.currency', 'The bank does not make payments in this currency'),
  ACCOUNT_SCHEME_UNSUPPORTED: exposed(400, 'unsupported.account-identifier', 'Accounts must be identified by a UK sort code and account number or an IBAN'),
  ACCOUNT_IDENTIFICATION_INVALID: exposed(400, 'field.invalid', 'The account identification is not valid for its scheme'),
  DEBTOR_ACCOUNT_UNKNOWN: exposed(400, 'field.invalid', 'DebtorAccount is not an account this bank can debit'),
  // The submission names another consent than the one its PSU token was issued for.
  CONSENT_NOT_OF_TOKEN: exposed(403, 'consent.mismatch', 'ConsentId is not the consent the access token was issued for'),
  // OB v4.0 domestic payments: "If the two do not match, the ASPSP must not process the request and must respond with a 400".
  CONSENT_MISMATCH: exposed(400, 'consent.mismatch', 'The payment must be exactly the one the PSU authorised'),
  // Only a payment order still to run can be stopped: a scheduled payment not yet handed to the core, a standing order with instalments to come.
  NOT_CANCELLABLE: exposed(409, 'consent.invalid-status', 'The payment order can no longer be cancelled: it ran, is running, or has ended'),
});
