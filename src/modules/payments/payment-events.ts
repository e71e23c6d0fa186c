import type { PaymentStatus } from './payment-model.ts';

/** Every change of a payment's status, through the outbox (`enqueueEvent`) in the transaction that makes it. */
export const PAYMENT_STATUS_CHANGED_SUBJECT = 'payments.status-changed';

export interface PaymentStatusChangedEvent {
  readonly paymentId: string;
  readonly consentId: string;
  readonly clientId: string;
  readonly status: PaymentStatus;
  readonly statusReasonCode?: string | undefined;
}
