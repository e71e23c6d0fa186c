import { CoreAccountChangedV1, CoreOrdersChangedV1, CorePostedV1, type CoreBanking } from '../../core/index.ts';
import type { Subscription } from '../../platform/bus/index.ts';
import type { PersonalDataCipher } from '../../platform/keystore/index.ts';
import { consumeEvents, isEventOf, type ConsumerDeps } from '../../platform/events/index.ts';
import { projectAccounts } from './account-projection.ts';
import type { AccountReadCache } from './account-reads.ts';
import { createKyselyAccountReadModelRepository } from './infra/kysely-account-read-model-repository.ts';

export interface KeepReadModelCurrentDeps extends ConsumerDeps {
  readonly core: CoreBanking;
  /** The shared read cache to retire changed accounts' copies from; none when reads are not cached. */
  readonly readCache: AccountReadCache | undefined;
  /** Encrypts the read model's personal data at rest. */
  readonly cipher: PersonalDataCipher;
}

/**
 * The core's events that change what AIS reads of an account. The core's PaymentStatusChanged is
 * not one: a booking moves money only through the Posted event of its entry, and a refusal moves none.
 */
const ACCOUNT_EVENTS = [CorePostedV1, CoreAccountChangedV1, CoreOrdersChangedV1] as const;

/**
 * Feeds the account read model from the core's events (src/core/core-events.ts): Posted and
 * AccountChanged refresh the projections of the accounts they name from the core, then retire the
 * cached reads of those accounts, so the next AIS read sees the new balance, holders and statement
 * lines; OrdersChanged (a standing order or scheduled payment made, run or ended) only retires the
 * cached order reads. The events waiting are taken together and each account named refreshed once
 * for all of them. One durable consumer shared by all instances;
 * the inbox drops redeliveries, and a refresh or invalidation applied twice is harmless (at least
 * once). A core without events is read through instead (`AccountReads`).
 */
export async function keepReadModelCurrent({ core, readCache, cipher, ...deps }: KeepReadModelCurrentDeps): Promise<Subscription> {
  const readModel = createKyselyAccountReadModelRepository(deps.db, cipher);
  return consumeEvents(deps, {
    name: 'accounts-read-model',
    events: ACCOUNT_EVENTS,
    transactional: false,
    async apply(events) {
      // Many changes of one account, one refresh, and one for all the accounts: it reads the core after all of them committed.
      const changed = new Set<string>();
      const touched = new Set<string>();
      for (const event of events) {
        const { accountIds } = event.payload as { accountIds: string[] };
        for (const accountId of accountIds) {
          touched.add(accountId);
          if (!isEventOf(CoreOrdersChangedV1, event)) changed.add(accountId);
        }
      }
      await readModel.refresh([...changed], (ids) => projectAccounts(core, ids));
      await readCache?.invalidate([...touched]);
    },
  });
}
