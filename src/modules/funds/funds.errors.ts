import { defineErrors, exposed } from '../../platform/errors/index.ts';

/**
 * Errors of confirmation of funds (CBPII). Details name fields by neutral `FieldRef`s,
 * which each facade maps to its wire paths. Consent look-ups answer with CONSENT.NOT_FOUND, as for every consent kind.
 */
export const FundsErrors = defineErrors('FUNDS', {
  ACCOUNT_SCHEME_UNSUPPORTED: exposed(400, 'unsupported.account-identifier', 'The debtor account must be identified by a UK sort code and account number or an IBAN'),
  ACCOUNT_IDENTIFICATION_INVALID: exposed(400, 'field.invalid', 'The account identification is not valid for its scheme'),
  // The confirmation names another consent than the one its PSU token was issued for.
  CONSENT_NOT_OF_TOKEN: exposed(403, 'consent.mismatch', 'ConsentId is not the consent the access token was issued for'),
  AMOUNT_INVALID: exposed(400, 'field.invalid', 'The amount must be positive with no more decimal places than its currency has'),
  // A balance is held in one currency: a check in another has no answer (and no conversion is implied).
  CURRENCY_MISMATCH: exposed(400, 'unsupported.currency', 'InstructedAmount.Currency is not the currency of the consent\'s account'),
});
