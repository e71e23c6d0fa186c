import { PaymentScheduleErrors, type DomesticStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { domesticTermsOf, type ObAccountIdentification, type ObDomesticInitiation } from '../payment-initiation/ob-payment-wire.ts';
import type { ObPaymentOrderConsentRequest } from '../payment-initiation/ob-payment-order-wire.ts';

/** `POST /domestic-standing-order-consents` body: the official OBWriteDomesticStandingOrderConsent5. */
export const createDomesticStandingOrderConsentBody = obRequestSchema('payment-initiation', 'OBWriteDomesticStandingOrderConsent5');

interface ObAmount {
  readonly Amount: string;
  readonly Currency: string;
}

/** The standing-order Initiation as the schema guarantees it after validation. */
export interface ObDomesticStandingOrderInitiation {
  readonly NumberOfPayments?: string;
  readonly FirstPaymentAmount: ObAmount;
  readonly RecurringPaymentAmount?: ObAmount;
  readonly FinalPaymentAmount?: ObAmount;
  readonly DebtorAccount?: ObAccountIdentification;
  readonly CreditorAccount: ObAccountIdentification & { readonly Name: string };
  readonly RemittanceInformation?: ObDomesticInitiation['RemittanceInformation'];
  readonly MandateRelatedInformation: {
    readonly FirstPaymentDateTime?: string;
    readonly RecurringPaymentDateTime?: string;
    readonly FinalPaymentDateTime?: string;
    readonly Frequency: { readonly Type: string; readonly CountPerPeriod?: number; readonly PointInTime?: string };
  };
  readonly [field: string]: unknown;
}

export type ObWriteDomesticStandingOrderConsent5 = ObPaymentOrderConsentRequest<ObDomesticStandingOrderInitiation>;

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
