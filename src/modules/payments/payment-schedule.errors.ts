import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** Errors of scheduled payments and standing orders (paths name the OB v4.0 fields). */
export const PaymentScheduleErrors = defineErrors('PAYMENT_SCHEDULE', {
  // OB v4.0: a scheduled payment is "for a future date"; a date already past cannot be honoured.
  EXECUTION_DATE_IN_PAST: exposed(400, 'field.invalid-date', 'The requested execution date must be in the future'),
  FIRST_PAYMENT_DATE_MISSING: exposed(400, 'field.missing', 'FirstPaymentDateTime is required: the bank needs the date of the first payment'),
  FIRST_PAYMENT_IN_PAST: exposed(400, 'field.invalid-date', 'FirstPaymentDateTime must be in the future'),
  DATES_OUT_OF_ORDER: exposed(400, 'field.invalid-date', 'The recurring and final payment dates must follow the first payment date'),
  FREQUENCY_UNSUPPORTED: exposed(400, 'unsupported.frequency', 'The bank does not run standing orders at this frequency'),
  NUMBER_OF_PAYMENTS_INVALID: exposed(400, 'field.invalid', 'NumberOfPayments must be a positive whole number'),
  CURRENCIES_DIFFER: exposed(400, 'field.invalid', 'Every amount of a standing order must be in the same currency'),
});
