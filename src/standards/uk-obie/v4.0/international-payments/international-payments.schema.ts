import { obRequestSchema } from '../ob-request-validation.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /international-payments` body: the official OBWriteInternational3 (closed to unknown fields). */
export const submitInternationalPaymentBody = obRequestSchema('payment-initiation', 'OBWriteInternational3');

/** OBWriteInternational3 as the schema guarantees it after validation. */
export type ObWriteInternational3 = PisSchema<'OBWriteInternational3'>;
