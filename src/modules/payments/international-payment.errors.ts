import { defineErrors } from '../../platform/errors/index.ts';

/** Errors of international payment consents and payments (OB v4.0 paths). */
export const InternationalPaymentErrors = defineErrors('INTERNATIONAL_PAYMENT', {
  // OB v4.0 InstructedAmount is "expressed in the currency as ordered by the initiating party": one
  // of the two currencies of the exchange, CurrencyOfTransfer or the debtor account's.
  INSTRUCTED_CURRENCY: {
    status: 400,
    reason: 'field.invalid',
    message: "InstructedAmount.Currency must be CurrencyOfTransfer or the debtor account's currency",
    expose: true,
  },
  // The account the PSU chose is in a third currency, or the rate the consent settled does not pair its currency with the other one.
  RATE_NOT_FOR_ACCOUNT: {
    status: 400,
    reason: 'field.invalid',
    message: "The consent's exchange rate does not convert into the debtor account's currency",
    expose: true,
  },
});
