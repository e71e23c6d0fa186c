import { obRequestSchema } from '../ob-request-validation.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /international-payment-consents` body: the official OBWriteInternationalConsent5 (closed to unknown fields). */
export const createInternationalPaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteInternationalConsent5');

/** OBWriteInternationalConsent5 as the schema guarantees it after validation. */
export type ObWriteInternationalConsent5 = PisSchema<'OBWriteInternationalConsent5'>;
