import { obRequestSchema } from '../ob-request-validation.ts';
import type { ObInternationalInitiation } from '../payment-initiation/ob-international-wire.ts';
import type { ObPaymentOrderConsentRequest } from '../payment-initiation/ob-payment-order-wire.ts';

/** `POST /international-scheduled-payment-consents` body: the official OBWriteInternationalScheduledConsent5 (closed to unknown fields). */
export const createInternationalScheduledPaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteInternationalScheduledConsent5');

/** The scheduled international Initiation as validated: an international one with its `RequestedExecutionDateTime`. */
export type ObInternationalScheduledInitiation = ObInternationalInitiation & { readonly RequestedExecutionDateTime: string };

export type ObWriteInternationalScheduledConsent5 = ObPaymentOrderConsentRequest<ObInternationalScheduledInitiation>;
