import type { InternationalStandingOrderTerms } from '../../../../modules/payments/index.ts';
import { standingOrderTermsOf } from '../domestic-standing-order-consents/domestic-standing-order-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /international-standing-order-consents` body: the official OBWriteInternationalStandingOrderConsent6 (closed to unknown fields). */
export const createInternationalStandingOrderConsentBody = obRequestSchema('payment-initiation', 'OBWriteInternationalStandingOrderConsent6');

/** OBWriteInternationalStandingOrderConsent6 as the schema guarantees it after validation. */
export type ObWriteInternationalStandingOrderConsent6 = PisSchema<'OBWriteInternationalStandingOrderConsent6'>;

/**
 * The international standing-order Initiation as the schema guarantees it after validation: a
 * domestic order's creditor, schedule and count, with one `InstructedAmount` in `CurrencyOfTransfer`
 * for every instalment.
 */
export type ObInternationalStandingOrderInitiation = ObWriteInternationalStandingOrderConsent6['Data']['Initiation'];

/** The neutral terms of an OB v4.0 international standing-order Initiation (the schedule read as `standingOrderTermsOf` reads a domestic one's). */
export function internationalStandingOrderTermsOf(initiation: ObInternationalStandingOrderInitiation): InternationalStandingOrderTerms {
  return {
    ...standingOrderTermsOf({ ...initiation, FirstPaymentAmount: initiation.InstructedAmount }),
    currencyOfTransfer: initiation.CurrencyOfTransfer,
  };
}
