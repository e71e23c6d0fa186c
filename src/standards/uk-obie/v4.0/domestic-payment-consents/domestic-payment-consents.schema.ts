import type { FundsConfirmation } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /domestic-payment-consents` body: the official OBWriteDomesticConsent4 (closed to unknown fields). */
export const createDomesticPaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteDomesticConsent4');

/** OBWriteDomesticConsent4 as the schema guarantees it after validation. */
export type ObWriteDomesticConsent4 = PisSchema<'OBWriteDomesticConsent4'>;

/** `OBWriteFundsConfirmationResponse1`. */
export function toObFundsConfirmationResponse(confirmation: FundsConfirmation, self: string) {
  return {
    Data: { FundsAvailableResult: { FundsAvailableDateTime: obDateTime(confirmation.checkedAt), FundsAvailable: confirmation.fundsAvailable } },
    Links: { Self: self },
    Meta: {},
  };
}
