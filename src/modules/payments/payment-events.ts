import { z } from 'zod';
import type { TxContext } from '../../platform/db/index.ts';
import { defineEvent } from '../../platform/events/index.ts';
import type { PaymentStatus } from './payment-model.ts';
import type { PaymentOutbox } from './payment-outbox.port.ts';

const STATUSES: Record<PaymentStatus, true> = { pending: true, booked: true, settled: true, rejected: true, cancelled: true };

/** A payment status on the wire of the event contract: the neutral one. */
export const paymentStatusSchema = z.enum(Object.keys(STATUSES) as [PaymentStatus, ...PaymentStatus[]]);

/**
 * Every change of a payment's status (each payment, of any kind, is one `payment` aggregate).
 * Version 2 carries the neutral status; version 1, no longer emitted, carried the OB names
 * (docs/events.md maps them). A payment's first event (`pending`) also carries what was ordered —
 * its PSU, its instructed amount (minor units, as a decimal string: JSON has no bigint) and its payee's fingerprint —
 * for consumers that judge payments (anomaly detection, through the audit trail); optional, so
 * events recorded before they were added, and consumers that do not read them, are unchanged.
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
    psuId: z.string().optional(),
    amountMinor: z.string().regex(/^\d{1,30}$/).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/).optional(),
    /** `payeeFingerprint` of the creditor account. */
    payee: z.string().optional(),
  }),
});

/** What a payment ordered, as its first event carries it. */
export interface PaymentOrderFacts {
  readonly psuId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** The payee's fingerprint; absent when the module has no key to make it with. */
  readonly payee?: string | undefined;
}

/** A payment's new status, as its event records it. */
export interface PaymentStatusChange {
  readonly payment: { readonly id: string; readonly consentId: string; readonly clientId: string };
  readonly status: PaymentStatus;
  readonly statusReasonCode?: string | undefined;
  /** What was ordered: on the `pending` event of a new payment. */
  readonly order?: PaymentOrderFacts | undefined;
}

/** Records a payment's new status in the transaction that sets it. */
export async function recordPaymentStatusChanged(
  outbox: PaymentOutbox,
  tx: TxContext,
  payment: PaymentStatusChange['payment'],
  change: Omit<PaymentStatusChange, 'payment'>,
  occurredAt: Date,
): Promise<void> {
  await recordPaymentStatusChanges(outbox, tx, [{ payment, ...change }], occurredAt);
}

/** `recordPaymentStatusChanged` for several payments at once (one write). */
export async function recordPaymentStatusChanges(outbox: PaymentOutbox, tx: TxContext, changes: readonly PaymentStatusChange[], occurredAt: Date): Promise<void> {
  await outbox.recordAll(
    tx,
    PaymentStatusChangedV2,
    changes.map(({ payment, status, statusReasonCode, order }) => ({
      aggregateId: payment.id,
      tppClientId: payment.clientId,
      payload: {
        paymentId: payment.id,
        consentId: payment.consentId,
        status,
        ...(statusReasonCode ? { statusReasonCode } : {}),
        ...(order ? { psuId: order.psuId, amountMinor: order.amountMinor.toString(), currency: order.currency, ...(order.payee ? { payee: order.payee } : {}) } : {}),
      },
      occurredAt,
    })),
  );
}
