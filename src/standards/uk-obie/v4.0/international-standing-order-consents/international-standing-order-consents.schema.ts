import type { InternationalStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { standingOrderTermsOf, type ObDomesticStandingOrderInitiation } from '../domestic-standing-order-consents/domestic-standing-order-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import type { ObPaymentOrderConsentRequest } from '../payment-initiation/ob-payment-order-wire.ts';

/** `POST /international-standing-order-consents` body: the official OBWriteInternationalStandingOrderConsent6 (closed to unknown fields). */
export const createInternationalStandingOrderConsentBody = obRequestSchema('payment-initiation', 'OBWriteInternationalStandingOrderConsent6');

/**
 * The international standing-order Initiation as the schema guarantees it after validation: a
 * domestic order's creditor, schedule and count, with one `InstructedAmount` in `CurrencyOfTransfer`
 * for every instalment.
 */
export type ObInternationalStandingOrderInitiation = Pick<
  ObDomesticStandingOrderInitiation,
  'NumberOfPayments' | 'DebtorAccount' | 'CreditorAccount' | 'RemittanceInformation' | 'MandateRelatedInformation'
> & {
  readonly CurrencyOfTransfer: string;
  readonly InstructedAmount: { readonly Amount: string; readonly Currency: string };
  readonly [field: string]: unknown;
};

export type ObWriteInternationalStandingOrderConsent6 = ObPaymentOrderConsentRequest<ObInternationalStandingOrderInitiation>;

/** The neutral terms of an OB v4.0 international standing-order Initiation (the schedule read as `standingOrderTermsOf` reads a domestic one's). */
export function internationalStandingOrderTermsOf(initiation: ObInternationalStandingOrderInitiation): InternationalStandingOrderTerms {
  return {
    ...standingOrderTermsOf({ ...initiation, FirstPaymentAmount: initiation.InstructedAmount }),
    currencyOfTransfer: initiation.CurrencyOfTransfer,
  };
}
