import type { Account, Balances, CoreBanking, HolderRole, Party } from '../../core/index.ts';

/** What account, party and balance reads answer about one account: the read model's row. */
export interface AccountProjection {
  readonly account: Account | undefined;
  readonly holders: ReadonlyArray<{ readonly party: Party; readonly role: HolderRole }>;
  readonly balances: Balances | undefined;
}

/** The account as the core has it now: what a refresh stores and a read through answers. */
export async function projectAccount(core: CoreBanking, accountId: string): Promise<AccountProjection> {
  const [account, holders, balances] = await Promise.all([core.getAccount(accountId), core.listAccountHolders(accountId), core.getBalances(accountId)]);
  return { account, holders, balances };
}
