import { defineErrors } from '../../platform/errors/index.ts';

/**
 * Errors of confirmation of funds (CBPII). Details name fields by neutral `FieldRef`s,
 * which each facade maps to its wire paths. Consent look-ups answer with CONSENT.NOT_FOUND, as for every consent kind.
 */
export const FundsErrors = defineErrors('FUNDS', {
  ACCOUNT_SCHEME_UNSUPPORTED: { status: 400, reason: 'unsupported.account-identifier', message: 'The debtor account must be identified by a UK sort code and account number or an IBAN', expose: true },
  ACCOUNT_IDENTIFICATION_INVALID: { status: 400, reason: 'field.invalid', message: 'The account identification is not valid for its scheme', expose: true },
  // The confirmation names another consent than the one its PSU token was issued for.
  CONSENT_NOT_OF_TOKEN: { status: 403, reason: 'consent.mismatch', message: 'ConsentId is not the consent the access token was issued for', expose: true },
  AMOUNT_INVALID: { status: 400, reason: 'field.invalid', message: 'The amount must be positive with no more decimal places than its currency has', expose: true },
  // A balance is held in one currency: a check in another has no answer (and no conversion is implied).
  CURRENCY_MISMATCH: { status: 400, reason: 'unsupported.currency', message: 'InstructedAmount.Currency is not the currency of the consent\'s account', expose: true },
});
