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
