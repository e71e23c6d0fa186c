import { defineErrors } from '../../platform/errors/index.ts';

/** Errors of international payment consents and payments (OB v4.0 paths). */
export const InternationalPaymentErrors = defineErrors('INTERNATIONAL_PAYMENT', {
  // This bank instructs the amount in the currency it transfers (the debtor is debited the converted amount).
  INSTRUCTED_CURRENCY: { status: 400, reason: 'Field.Invalid', message: 'InstructedAmount.Currency must be CurrencyOfTransfer', expose: true },
  // The rate the consent settled does not convert CurrencyOfTransfer into the currency of the account the PSU chose.
  RATE_NOT_FOR_ACCOUNT: {
    status: 400,
    reason: 'Field.Invalid',
    message: "The consent's exchange rate does not convert into the debtor account's currency",
    expose: true,
  },
});
