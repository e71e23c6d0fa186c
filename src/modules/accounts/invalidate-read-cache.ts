import { CORE_EVENT_SUBJECTS, type AccountChangedEvent, type OrdersChangedEvent, type PostedEvent } from '../../core/index.ts';
import type { Bus, EventHandler, Subscription } from '../../platform/bus/index.ts';
import type { AccountReadCache } from './account-read-cache.ts';

/** The core events that change what an account read returns, each with its durable consumer. */
const SUBSCRIPTIONS = [
  { subject: CORE_EVENT_SUBJECTS.posted, durable: 'accounts-read-cache' },
  { subject: CORE_EVENT_SUBJECTS.ordersChanged, durable: 'accounts-read-cache-orders' },
  { subject: CORE_EVENT_SUBJECTS.accountChanged, durable: 'accounts-read-cache-accounts' },
] as const;

/**
 * Keeps the read cache in step with the core (core-events.port.ts): Posted invalidates the cached
 * reads of the accounts it touched, so the next AIS read sees the new balance and line;
 * OrdersChanged (a standing order or scheduled payment made, run or ended) and AccountChanged
 * those of their accounts. One durable consumer per subject shared by all instances suffices, as
 * the cache itself is shared. A core without events is read through instead (`AccountReads`).
 */
export async function invalidateReadCacheOnPostings(bus: Bus, readCache: AccountReadCache): Promise<Subscription> {
  const invalidate: EventHandler = async (event) => {
    const { accountIds } = event.payload as PostedEvent | OrdersChangedEvent | AccountChangedEvent;
    if (Array.isArray(accountIds) && accountIds.length > 0) await readCache.invalidate(accountIds);
  };
  const subscriptions: Subscription[] = [];
  try {
    for (const subscription of SUBSCRIPTIONS) subscriptions.push(await bus.subscribe(subscription, invalidate));
  } catch (error) {
    await Promise.all(subscriptions.map((s) => s.stop()));
    throw error;
  }
  return {
    async stop() {
      await Promise.all(subscriptions.map((s) => s.stop()));
    },
  };
}
