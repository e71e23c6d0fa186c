import { z } from 'zod';
import { defineEvent } from '../../platform/events/index.ts';
import { paymentStatusSchema } from './payment-events.ts';
import type { StandingOrderStatus } from './standing-order-model.ts';

const STATUSES: Record<StandingOrderStatus, true> = { pending: true, 'set-up': true, failed: true, cancelled: true };

/**
 * A standing order was set up or ran an instalment: its status, the instalment that ran (its
 * number, payment and that payment's status) and the one due next (none after the last, or
 * once a refused first instalment stopped the order). Each standing order is one aggregate.
 * Version 1, no longer emitted, carried the OB names of the statuses (docs/events.md maps them).
 */
export const StandingOrderProgressedV2 = defineEvent({
  type: 'StandingOrderProgressed',
  version: 2,
  aggregateType: 'standing-order',
  payload: z.object({
    standingOrderId: z.string(),
    consentId: z.string(),
    status: z.enum(Object.keys(STATUSES) as [StandingOrderStatus, ...StandingOrderStatus[]]),
    instalment: z
      .object({
        number: z.number().int().positive(),
        paymentId: z.string(),
        dueAt: z.iso.datetime(),
        paymentStatus: paymentStatusSchema,
      })
      .optional(),
    nextInstalment: z.object({ number: z.number().int().positive(), dueAt: z.iso.datetime() }).nullable(),
  }),
});
