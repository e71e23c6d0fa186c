import { obRequestSchema } from '../ob-request-validation.ts';
import type { ObDomesticInitiation } from '../payment-initiation/ob-payment-wire.ts';
import type { ObPaymentOrderConsentRequest } from '../payment-initiation/ob-payment-order-wire.ts';

/** `POST /domestic-scheduled-payment-consents` body: the official OBWriteDomesticScheduledConsent4. */
export const createDomesticScheduledPaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteDomesticScheduledConsent4');

/** The scheduled Initiation as validated: a domestic one with its `RequestedExecutionDateTime`. */
export type ObDomesticScheduledInitiation = ObDomesticInitiation & { readonly RequestedExecutionDateTime: string };

export type ObWriteDomesticScheduledConsent4 = ObPaymentOrderConsentRequest<ObDomesticScheduledInitiation>;
