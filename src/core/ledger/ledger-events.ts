import { z } from 'zod';
import { defineEvent } from '../../platform/events/index.ts';

/**
 * A journal entry was posted: the balances and statement lines of its accounts changed. An entry
 * never changes once posted, so it is an aggregate of this one event.
 */
export const EntryPostedV1 = defineEvent({
  type: 'EntryPosted',
  version: 1,
  aggregateType: 'journal-entry',
  onlyEventOfAggregate: true,
  payload: z.object({ entryId: z.string(), kind: z.string(), accountIds: z.array(z.string()), bookedAt: z.iso.datetime() }),
});

/** An account's standing orders or scheduled payments changed (not its postings). */
export const AccountOrdersChangedV1 = defineEvent({
  type: 'AccountOrdersChanged',
  version: 1,
  aggregateType: 'account',
  payload: z.object({ accountIds: z.array(z.string()) }),
});
