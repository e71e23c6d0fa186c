import { defineErrors } from '../../platform/errors/index.ts';

/** OB v4.0 international payments, `ExchangeRateInformation` (OBExchangeRate1 / OBExchangeRate2). */
export const FxErrors = defineErrors('FX', {
  UNSUPPORTED_CURRENCY: { status: 400, reason: 'unsupported.currency', message: 'No exchange rate for this currency', expose: true },
  SAME_CURRENCY: { status: 400, reason: 'field.invalid', message: 'UnitCurrency must differ from the currency it is exchanged into', expose: true },
  // OB: ExchangeRate and ContractIdentification are given with RateType Agreed only.
  RATE_NOT_EXPECTED: {
    status: 400,
    reason: 'field.unexpected',
    message: 'ExchangeRate and ContractIdentification are only given with RateType Agreed',
    expose: true,
  },
  RATE_MISSING: { status: 400, reason: 'field.missing', message: 'RateType Agreed needs ExchangeRate and ContractIdentification', expose: true },
  RATE_INVALID: { status: 400, reason: 'field.invalid', message: 'ExchangeRate must be a positive decimal', expose: true },
  CONTRACT_UNKNOWN: { status: 400, reason: 'field.invalid', message: 'ContractIdentification is not a rate contract of this bank', expose: true },
  CONTRACT_MISMATCH: {
    status: 400,
    reason: 'field.invalid',
    message: 'ExchangeRate or UnitCurrency does not match the rate contract',
    expose: true,
  },
  CONTRACT_EXPIRED: { status: 400, reason: 'rules.after-cut-off', message: 'The exchange rate has expired', expose: true },
});
