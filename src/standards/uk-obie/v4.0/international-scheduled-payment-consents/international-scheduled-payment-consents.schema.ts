import { obRequestSchema } from '../ob-request-validation.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /international-scheduled-payment-consents` body: the official OBWriteInternationalScheduledConsent5 (closed to unknown fields). */
export const createInternationalScheduledPaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteInternationalScheduledConsent5');

/** OBWriteInternationalScheduledConsent5 as the schema guarantees it after validation. */
export type ObWriteInternationalScheduledConsent5 = PisSchema<'OBWriteInternationalScheduledConsent5'>;
