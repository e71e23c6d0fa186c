import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** OB v4.0 international payments, `ExchangeRateInformation` (OBExchangeRate1 / OBExchangeRate2). */
export const FxErrors = defineErrors('FX', {
  UNSUPPORTED_CURRENCY: exposed(400, 'unsupported.currency', 'No exchange rate for this currency'),
  SAME_CURRENCY: exposed(400, 'field.invalid', 'UnitCurrency must differ from the currency it is exchanged into'),
  // OB: ExchangeRate and ContractIdentification are given with RateType Agreed only.
  RATE_NOT_EXPECTED: exposed(400, 'field.unexpected', 'ExchangeRate and ContractIdentification are only given with RateType Agreed'),
  RATE_MISSING: exposed(400, 'field.missing', 'RateType Agreed needs ExchangeRate and ContractIdentification'),
  RATE_INVALID: exposed(400, 'field.invalid', 'ExchangeRate must be a positive decimal'),
  CONTRACT_UNKNOWN: exposed(400, 'field.invalid', 'ContractIdentification is not a rate contract of this bank'),
  CONTRACT_MISMATCH: exposed(400, 'field.invalid', 'ExchangeRate or UnitCurrency does not match the rate contract'),
  CONTRACT_EXPIRED: exposed(400, 'rules.after-cut-off', 'The exchange rate has expired'),
});
