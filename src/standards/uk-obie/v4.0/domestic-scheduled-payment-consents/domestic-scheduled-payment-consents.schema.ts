import { obRequestSchema } from '../ob-request-validation.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /domestic-scheduled-payment-consents` body: the official OBWriteDomesticScheduledConsent4. */
export const createDomesticScheduledPaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteDomesticScheduledConsent4');

/** OBWriteDomesticScheduledConsent4 as the schema guarantees it after validation. */
export type ObWriteDomesticScheduledConsent4 = PisSchema<'OBWriteDomesticScheduledConsent4'>;
