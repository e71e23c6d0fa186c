import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineEvent } from '../src/platform/events/index.ts';

/** The domain event bench:events commits: the size of a payment's status change. */
export const BenchHappened = defineEvent({
  type: 'BenchHappened',
  version: 1,
  aggregateType: 'bench',
  payload: z.object({ paymentId: z.string(), consentId: z.string(), status: z.string() }),
});

export const benchPayload = () => ({ paymentId: randomUUID(), consentId: `pdc-${randomUUID()}`, status: 'settled' });

