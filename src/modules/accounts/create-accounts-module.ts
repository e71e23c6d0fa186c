import type { CoreBanking } from '../../core/index.ts';
import { ReadThroughCache, type Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';
import type { PersonalDataCipher } from '../../platform/keystore/index.ts';
import { AccountReads, type AccountReadCache } from './account-reads.ts';
import { createKyselyAccountReadModelRepository } from './infra/kysely-account-read-model-repository.ts';
import { createKyselyAccountRefsRepository } from './infra/kysely-account-refs-repository.ts';
import { decodeCached, encodeCached } from './read-cache-codec.ts';

/** Account information as a consent lets a TPP see it (see `AccountReads`). */
export type AccountsApi = Pick<AccountReads, keyof AccountReads>;

export interface AccountReadCacheOptions {
  /** Longest a read is reused (default 60 s); postings invalidate sooner. */
  readonly ttlSeconds?: number;
  /** Reads kept decoded in this process, in front of the shared cache (default 2,000). */
  readonly localEntries?: number;
}

/**
 * The shared cache (Redis in production) in front of account reads, with a small decoded copy in
 * this process in front of that (src/platform/cache `ReadThroughCache`). Each account has a
 * generation; a read of several accounts is kept under all of theirs, so invalidating any of them
 * (a posting) makes it miss at every instance. Copies keep bigint money and dates (`encodeCached`).
 */
export function createAccountReadCache(cache: Cache, options: AccountReadCacheOptions = {}): AccountReadCache {
  const ttlSeconds = options.ttlSeconds ?? 60;
  return new ReadThroughCache(cache, {
    name: 'accounts',
    localEntries: options.localEntries ?? 2_000,
    maxAgeMs: ttlSeconds * 1000,
    shared: { codec: { encode: encodeCached, decode: decodeCached }, ttlSeconds },
  });
}

export interface AccountsModuleDeps {
  readonly db: Db;
  /** Encrypts the read model's personal data at rest. */
  readonly cipher: PersonalDataCipher;
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
  const { db, cipher, ...options } = deps;
  return new AccountReads({ ...options, refs: createKyselyAccountRefsRepository(db), readModel: createKyselyAccountReadModelRepository(db, cipher) });
}
