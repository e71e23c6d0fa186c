import { PaymentScheduleErrors, type DomesticStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import type { PisSchema } from '../ob-wire-types.ts';
import { domesticTermsOf, type ObDomesticInitiation } from '../payment-initiation/ob-payment-wire.ts';

/** `POST /domestic-standing-order-consents` body: the official OBWriteDomesticStandingOrderConsent5. */
export const createDomesticStandingOrderConsentBody = obRequestSchema('payment-initiation', 'OBWriteDomesticStandingOrderConsent5');

/** OBWriteDomesticStandingOrderConsent5 as the schema guarantees it after validation. */
export type ObWriteDomesticStandingOrderConsent5 = PisSchema<'OBWriteDomesticStandingOrderConsent5'>;

/** The standing-order Initiation as the schema guarantees it after validation. */
export type ObDomesticStandingOrderInitiation = ObWriteDomesticStandingOrderConsent5['Data']['Initiation'];

interface ObAmount {
  readonly Amount: string;
  readonly Currency: string;
}

const MANDATE = 'Data.Initiation.MandateRelatedInformation';
const amountOf = (amount: ObAmount | undefined) => (amount ? { decimal: amount.Amount, currency: amount.Currency } : undefined);
const dateOf = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

/**
 * The neutral terms of an OB v4.0 standing-order Initiation. The schedule is
 * `MandateRelatedInformation` (FirstPaymentDateTime, required by this bank; RecurringPaymentDateTime;
 * FinalPaymentDateTime; Frequency.Type in the `Frequency_1` pattern syntax or an `OBFrequency6Code`);
 * a `CountPerPeriod` other than one is not a rhythm the bank runs.
 */
export function standingOrderTermsOf(initiation: ObDomesticStandingOrderInitiation): DomesticStandingOrderTerms {
  const mandate = initiation.MandateRelatedInformation;
  if (!mandate.FirstPaymentDateTime) throw new AppError(PaymentScheduleErrors.FIRST_PAYMENT_DATE_MISSING, { details: [{ path: `${MANDATE}.FirstPaymentDateTime` }] });
  if (mandate.Frequency.CountPerPeriod !== undefined && mandate.Frequency.CountPerPeriod !== 1) {
    throw new AppError(PaymentScheduleErrors.FREQUENCY_UNSUPPORTED, { details: [{ path: `${MANDATE}.Frequency.CountPerPeriod` }] });
  }
  const { creditor, debtor, reference } = domesticTermsOf({ ...initiation, InstructedAmount: initiation.FirstPaymentAmount } as unknown as ObDomesticInitiation);
  return {
    creditor,
    debtor,
    reference,
    firstAmount: { decimal: initiation.FirstPaymentAmount.Amount, currency: initiation.FirstPaymentAmount.Currency },
    recurringAmount: amountOf(initiation.RecurringPaymentAmount),
    finalAmount: amountOf(initiation.FinalPaymentAmount),
    firstPaymentAt: new Date(mandate.FirstPaymentDateTime),
    recurringPaymentAt: dateOf(mandate.RecurringPaymentDateTime),
    finalPaymentAt: dateOf(mandate.FinalPaymentDateTime),
    numberOfPayments: initiation.NumberOfPayments,
    frequency: mandate.Frequency.Type,
  };
}
