import type { Consent } from '../../modules/consents/index.ts';
import { periodicLimitText } from './periodic-limit-text.ts';
import { moneyText } from './money-text.ts';
import { accountIdentificationText } from './account-texts.ts';
import type { RecurringPaymentSummary } from './recurring-payment-details.ts';

/** What the PSU is shown of a recurring-payment (VRP) consent's controls; undefined for other consents. */
export function recurringPaymentSummaryOf(consent: Consent): RecurringPaymentSummary | undefined {
  const payment = consent.payment;
  const controls = payment?.controls;
  if (!payment || !controls) return undefined;
  const amount = (minor: bigint) => moneyText(minor, payment.currency);
  return {
    maximumAmount: amount(payment.amountMinor),
    limits: controls.periodicLimits.map((limit) => periodicLimitText({ periodType: limit.periodType, alignment: limit.alignment, amount: amount(limit.amountMinor) }, consent.createdAt)),
    payee: payment.creditorName,
    payeeAccount: accountIdentificationText(payment.creditorScheme, payment.creditorIdentification),
    reference: payment.reference ?? undefined,
    validFrom: controls.validFrom,
    validTo: controls.validTo,
  };
}
