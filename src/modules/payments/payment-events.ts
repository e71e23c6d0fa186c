import { z } from 'zod';
import type { TxContext } from '../../platform/db/index.ts';
import { defineEvent } from '../../platform/events/index.ts';
import type { PaymentStatus } from './payment-model.ts';
import type { PaymentOutbox } from './payment-outbox.port.ts';

const STATUSES: Record<PaymentStatus, true> = { pending: true, booked: true, settled: true, rejected: true };

/** A payment status on the wire of the event contract: the neutral one. */
export const paymentStatusSchema = z.enum(Object.keys(STATUSES) as [PaymentStatus, ...PaymentStatus[]]);

/**
 * Every change of a payment's status (each payment, of any kind, is one `payment` aggregate).
 * Version 2 carries the neutral status; version 1, no longer emitted, carried the OB names
 * (docs/events.md maps them).
 */
export const PaymentStatusChangedV2 = defineEvent({
  type: 'PaymentStatusChanged',
  version: 2,
  aggregateType: 'payment',
  payload: z.object({
    paymentId: z.string(),
    consentId: z.string(),
    status: paymentStatusSchema,
    statusReasonCode: z.string().optional(),
  }),
});

/** Records a payment's new status in the transaction that sets it. */
export async function recordPaymentStatusChanged(
  outbox: PaymentOutbox,
  tx: TxContext,
  payment: { readonly id: string; readonly consentId: string; readonly clientId: string },
  change: { readonly status: PaymentStatus; readonly statusReasonCode?: string | undefined },
  occurredAt: Date,
): Promise<void> {
  await outbox.record(tx, PaymentStatusChangedV2, {
    aggregateId: payment.id,
    tppClientId: payment.clientId,
    payload: { paymentId: payment.id, consentId: payment.consentId, status: change.status, ...(change.statusReasonCode ? { statusReasonCode: change.statusReasonCode } : {}) },
    occurredAt,
  });
}
