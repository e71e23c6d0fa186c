import type { Account, Balances, CoreBanking, HolderRole, Party } from '../../core/index.ts';

/** What account, party and balance reads answer about one account: the read model's row. */
export interface AccountProjection {
  readonly account: Account | undefined;
  readonly holders: ReadonlyArray<{ readonly party: Party; readonly role: HolderRole }>;
  readonly balances: Balances | undefined;
}

/** The account as the core has it now (one read): what a refresh stores and a read through answers. */
export async function projectAccount(core: Pick<CoreBanking, 'getAccountOverview'>, accountId: string): Promise<AccountProjection> {
  return (await core.getAccountOverview(accountId)) ?? { account: undefined, holders: [], balances: undefined };
}
