import { obRequestSchema } from '../ob-request-validation.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /international-standing-orders` body: the official OBWriteInternationalStandingOrder4 (closed to unknown fields). */
export const submitInternationalStandingOrderBody = obRequestSchema('payment-initiation', 'OBWriteInternationalStandingOrder4');

/** OBWriteInternationalStandingOrder4 as the schema guarantees it after validation. */
export type ObWriteInternationalStandingOrder4 = PisSchema<'OBWriteInternationalStandingOrder4'>;
