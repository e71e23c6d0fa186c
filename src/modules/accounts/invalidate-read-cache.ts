import { ENTRY_POSTED_SUBJECT, type EntryPostedEvent } from '../../core/index.ts';
import type { Bus, Subscription } from '../../platform/bus/index.ts';
import type { AccountReadCache } from './account-read-cache.ts';

/**
 * Keeps the read cache in step with the core: every `core.entry-posted` event invalidates the
 * cached reads of the accounts it touched, so the next AIS read sees the new balance and line.
 * One durable consumer shared by all instances suffices, as the cache itself is shared.
 */
export function invalidateReadCacheOnPostings(bus: Bus, readCache: AccountReadCache): Promise<Subscription> {
  return bus.subscribe({ subject: ENTRY_POSTED_SUBJECT, durable: 'accounts-read-cache' }, async (event) => {
    const { accountIds } = event.payload as EntryPostedEvent;
    if (Array.isArray(accountIds) && accountIds.length > 0) await readCache.invalidate(accountIds);
  });
}
