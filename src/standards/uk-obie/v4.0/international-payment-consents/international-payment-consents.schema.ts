import { obRequestSchema } from '../ob-request-validation.ts';
import type { ObInternationalInitiation } from '../payment-initiation/ob-international-wire.ts';

/** `POST /international-payment-consents` body: the official OBWriteInternationalConsent5 (closed to unknown fields). */
export const createInternationalPaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteInternationalConsent5');

/** OBWriteInternationalConsent5 as the schema guarantees it after validation. */
export interface ObWriteInternationalConsent5 {
  readonly Data: {
    readonly ReadRefundAccount?: 'Yes' | 'No';
    readonly Initiation: ObInternationalInitiation;
    readonly Authorisation?: Record<string, unknown>;
    readonly SCASupportData?: Record<string, unknown>;
  };
  readonly Risk: Record<string, unknown>;
}
