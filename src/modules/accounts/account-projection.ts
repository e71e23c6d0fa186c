import type { Account, Balances, CoreBanking, HolderRole, Party } from '../../core/index.ts';

/** What account, party and balance reads answer about one account: the read model's row. */
export interface AccountProjection {
  readonly account: Account | undefined;
  readonly holders: ReadonlyArray<{ readonly party: Party; readonly role: HolderRole }>;
  readonly balances: Balances | undefined;
}

/** The accounts as the core has them now, in one read: what a refresh stores and a read through answers. */
export async function projectAccounts(core: Pick<CoreBanking, 'getAccountOverviews'>, accountIds: readonly string[]): Promise<ReadonlyMap<string, AccountProjection>> {
  const overviews = await core.getAccountOverviews(accountIds);
  return new Map(accountIds.map((id) => [id, overviews.get(id) ?? { account: undefined, holders: [], balances: undefined }]));
}

/** One account as the core has it now (`projectAccounts`). */
export async function projectAccount(core: Pick<CoreBanking, 'getAccountOverviews'>, accountId: string): Promise<AccountProjection> {
  return (await projectAccounts(core, [accountId])).get(accountId)!;
}
