import { z } from 'zod';
import { defineEvent } from '../platform/events/index.ts';
import type { AccountChangedEvent, OrdersChangedEvent, PaymentStatusChangedEvent, PostedEvent } from './ports/index.ts';

const accountIds = z.array(z.string()).min(1);

/**
 * The core's events in the typed catalogue (core-events.port.ts says what each means). A journal
 * entry is posted once, so `Posted` is the only event of its `core-entry` aggregate; a submitted
 * payment's answer is an event of the `core-payment` keyed by its external reference; changes of an
 * account's orders or of the account itself are events of the `core-account`, in order per account.
 */
export const CorePostedV1 = defineEvent<PostedEvent>({
  type: 'Posted',
  version: 1,
  aggregateType: 'core-entry',
  onlyEventOfAggregate: true,
  payload: z.object({ entryId: z.string(), kind: z.string(), accountIds, bookedAt: z.string() }),
});

export const CorePaymentStatusChangedV1 = defineEvent<PaymentStatusChangedEvent>({
  type: 'PaymentStatusChanged',
  version: 1,
  aggregateType: 'core-payment',
  payload: z.object({ externalRef: z.string(), coreRef: z.string(), status: z.enum(['booked', 'rejected']), accountIds }),
});

export const CoreOrdersChangedV1 = defineEvent<OrdersChangedEvent>({
  type: 'OrdersChanged',
  version: 1,
  aggregateType: 'core-account',
  payload: z.object({ accountIds }),
});

export const CoreAccountChangedV1 = defineEvent<AccountChangedEvent>({
  type: 'AccountChanged',
  version: 1,
  aggregateType: 'core-account',
  payload: z.object({ accountIds }),
});
