import { AccountOrdersChangedV1, EntryPostedV1 } from '../../core/index.ts';
import type { Subscription } from '../../platform/bus/index.ts';
import { consumeEvents, isEventOf, type ConsumerDeps } from '../../platform/events/index.ts';
import type { AccountReadCache } from './account-read-cache.ts';

/**
 * Keeps the read cache in step with the core: every `EntryPosted` event invalidates the cached
 * reads of the accounts it touched, so the next AIS read sees the new balance and line; every
 * `AccountOrdersChanged` event (a standing order or scheduled payment made, run or ended) those of
 * its account, so the next read of its orders sees it. One durable consumer shared by all
 * instances suffices, as the cache itself is shared; invalidating twice is harmless, so it is a
 * standalone consumer of the inbox.
 */
export async function invalidateReadCacheOnPostings(deps: ConsumerDeps, readCache: AccountReadCache): Promise<Subscription> {
  return consumeEvents(deps, {
    name: 'accounts-read-cache',
    events: [EntryPostedV1, AccountOrdersChangedV1],
    transactional: false,
    async apply(event) {
      const accountIds = isEventOf(EntryPostedV1, event) || isEventOf(AccountOrdersChangedV1, event) ? event.payload.accountIds : [];
      if (accountIds.length > 0) await readCache.invalidate(accountIds);
    },
  });
}
