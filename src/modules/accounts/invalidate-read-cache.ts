import { CORE_EVENTS } from '../../core/index.ts';
import type { Subscription } from '../../platform/bus/index.ts';
import { consumeEvents, type ConsumerDeps } from '../../platform/events/index.ts';
import type { AccountReadCache } from './account-read-cache.ts';

/**
 * Keeps the read cache in step with the core (src/core/core-events.ts): Posted and the core's
 * PaymentStatusChanged invalidate the cached reads of the accounts they touched, so the next AIS
 * read sees the new balance and line; OrdersChanged (a standing order or scheduled payment made,
 * run or ended) and AccountChanged those of their accounts. One durable consumer shared by all
 * instances suffices, as the cache itself is shared; the inbox drops redeliveries, and an
 * invalidation applied twice is harmless (at least once). A core without events is read through
 * instead (`AccountReads`).
 */
export async function invalidateReadCacheOnPostings(deps: ConsumerDeps, readCache: AccountReadCache): Promise<Subscription> {
  return consumeEvents(deps, {
    name: 'accounts-read-cache',
    events: CORE_EVENTS,
    transactional: false,
    async apply(event) {
      await readCache.invalidate((event.payload as { accountIds: string[] }).accountIds);
    },
  });
}
