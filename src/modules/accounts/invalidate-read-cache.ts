import { ACCOUNT_ORDERS_CHANGED_SUBJECT, ENTRY_POSTED_SUBJECT, type AccountOrdersChangedEvent, type EntryPostedEvent } from '../../core/index.ts';
import type { Bus, EventHandler, Subscription } from '../../platform/bus/index.ts';
import type { AccountReadCache } from './account-read-cache.ts';

/**
 * Keeps the read cache in step with the core: every `core.entry-posted` event invalidates the
 * cached reads of the accounts it touched, so the next AIS read sees the new balance and line;
 * every `core.account-orders-changed` event (a standing order or scheduled payment made, run or
 * ended) those of its account, so the next read of its orders sees it. One durable consumer per
 * subject shared by all instances suffices, as the cache itself is shared.
 */
export async function invalidateReadCacheOnPostings(bus: Bus, readCache: AccountReadCache): Promise<Subscription> {
  const invalidate: EventHandler = async (event) => {
    const { accountIds } = event.payload as EntryPostedEvent | AccountOrdersChangedEvent;
    if (Array.isArray(accountIds) && accountIds.length > 0) await readCache.invalidate(accountIds);
  };
  const postings = await bus.subscribe({ subject: ENTRY_POSTED_SUBJECT, durable: 'accounts-read-cache' }, invalidate);
  const orders = await bus.subscribe({ subject: ACCOUNT_ORDERS_CHANGED_SUBJECT, durable: 'accounts-read-cache-orders' }, invalidate).catch(async (error: unknown) => {
    await postings.stop();
    throw error;
  });
  return {
    async stop() {
      await Promise.all([postings.stop(), orders.stop()]);
    },
  };
}
