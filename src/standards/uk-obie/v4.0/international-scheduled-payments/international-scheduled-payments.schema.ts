import type { ExchangeRateTerms } from '../../../../core/fx/index.ts';
import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { toObScheduledPaymentResponse } from '../domestic-scheduled-payments/domestic-scheduled-payments.schema.ts';
import { obPaymentStatusCode } from '../_wire/ob-payment-status.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /international-scheduled-payments` body: the official OBWriteInternationalScheduled3 (closed to unknown fields). */
export const submitInternationalScheduledPaymentBody = obRequestSchema('payment-initiation', 'OBWriteInternationalScheduled3');

/** OBWriteInternationalScheduled3 as the schema guarantees it after validation. */
export type ObWriteInternationalScheduled3 = PisSchema<'OBWriteInternationalScheduled3'>;

/** `OBWriteInternationalScheduledResponse6` (its status enum has ACCC) with the rate of the consent or, once executed, of the payment. */
export function toObInternationalScheduledResponse(payment: DomesticPayment, exchangeRate: ExchangeRateTerms | undefined, self: string) {
  return toObScheduledPaymentResponse('InternationalScheduledPaymentId', payment, obPaymentStatusCode, self, exchangeRate);
}
