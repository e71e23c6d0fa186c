import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** Errors of international payment consents and payments (OB v4.0 paths). */
export const InternationalPaymentErrors = defineErrors('INTERNATIONAL_PAYMENT', {
  // OB v4.0 InstructedAmount is "expressed in the currency as ordered by the initiating party": one
  // of the two currencies of the exchange, CurrencyOfTransfer or the debtor account's.
  INSTRUCTED_CURRENCY: exposed(400, 'field.invalid', "InstructedAmount.Currency must be CurrencyOfTransfer or the debtor account's currency"),
  // The account the PSU chose is in a third currency, or the rate the consent settled does not pair its currency with the other one.
  RATE_NOT_FOR_ACCOUNT: exposed(400, 'field.invalid', "The consent's exchange rate does not convert into the debtor account's currency"),
});
