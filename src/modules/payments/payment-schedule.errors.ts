import { defineErrors } from '../../platform/errors/index.ts';

/** Errors of scheduled payments and standing orders (paths name the OB v4.0 fields). */
export const PaymentScheduleErrors = defineErrors('PAYMENT_SCHEDULE', {
  // OB v4.0: a scheduled payment is "for a future date"; a date already past cannot be honoured.
  EXECUTION_DATE_IN_PAST: { status: 400, reason: 'field.invalid-date', message: 'The requested execution date must be in the future', expose: true },
  FIRST_PAYMENT_DATE_MISSING: { status: 400, reason: 'field.missing', message: 'FirstPaymentDateTime is required: the bank needs the date of the first payment', expose: true },
  FIRST_PAYMENT_IN_PAST: { status: 400, reason: 'field.invalid-date', message: 'FirstPaymentDateTime must be in the future', expose: true },
  DATES_OUT_OF_ORDER: { status: 400, reason: 'field.invalid-date', message: 'The recurring and final payment dates must follow the first payment date', expose: true },
  FREQUENCY_UNSUPPORTED: { status: 400, reason: 'unsupported.frequency', message: 'The bank does not run standing orders at this frequency', expose: true },
  NUMBER_OF_PAYMENTS_INVALID: { status: 400, reason: 'field.invalid', message: 'NumberOfPayments must be a positive whole number', expose: true },
  CURRENCIES_DIFFER: { status: 400, reason: 'field.invalid', message: 'Every amount of a standing order must be in the same currency', expose: true },
});
