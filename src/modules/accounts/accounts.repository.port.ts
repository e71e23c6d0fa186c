import type { AccountProjection } from './account-projection.ts';

/** What account information needs from storage: the public AccountIds TPPs see. */
export interface AccountRefsRepository {
  /**
   * Stores the proposed public id of each account that has none yet (concurrent proposals: the
   * first stored wins) and returns the stored public id of every account proposed.
   */
  claimPublicIds(proposed: ReadonlyMap<string, string>): Promise<Map<string, string>>;
  /** The account behind a public id; undefined for one never stored. */
  findAccountId(publicId: string): Promise<string | undefined>;
}

/** The read model of the core's accounts (docs/decisions/0004d-account-read-model.md). */
export interface AccountReadModelRepository {
  /** The stored projection; undefined when none is stored yet. */
  find(accountId: string): Promise<AccountProjection | undefined>;
  /**
   * Replaces the accounts' projections with what `project` reads from the core (all of them in one
   * read), each unless a refresh that began later has already stored its own: of racing refreshes
   * the latest reader wins.
   */
  refresh(accountIds: readonly string[], project: (accountIds: readonly string[]) => Promise<ReadonlyMap<string, AccountProjection>>): Promise<void>;
  /** Stores a projection read through to the core, when the account has no row yet. */
  storeIfAbsent(accountId: string, projection: AccountProjection): Promise<void>;
}
