import type { CoreBanking } from '../../core/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';
import type { AccountReadCache } from './account-read-cache.ts';
import { AccountReads } from './account-reads.ts';
import { createKyselyAccountReadModelRepository } from './infra/kysely-account-read-model-repository.ts';
import { createKyselyAccountRefsRepository } from './infra/kysely-account-refs-repository.ts';

/** Account information as a consent lets a TPP see it (see `AccountReads`). */
export type AccountsApi = Pick<AccountReads, keyof AccountReads>;

export interface AccountsModuleDeps {
  readonly db: Db;
  /** Shared cache of public AccountIds. */
  readonly cache: Cache;
  readonly core: CoreBanking;
  /** Shared read cache; without one, every read goes to the core. */
  readonly readCache?: AccountReadCache | undefined;
  /** Transactions per page (default 100). */
  readonly pageSize?: number;
}

/** The accounts module on the platform database. */
export function createAccountsModule(deps: AccountsModuleDeps): AccountsApi {
  const { db, ...options } = deps;
  return new AccountReads({ ...options, refs: createKyselyAccountRefsRepository(db), readModel: createKyselyAccountReadModelRepository(db) });
}
