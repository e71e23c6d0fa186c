import type { Generated } from 'kysely';

/** The public AccountId of each account exposed to TPPs (migration 0009). */
export interface AisAccountRefsTable {
  account_id: string;
  public_id: string;
  created_at: Generated<Date>;
}

/** The tables the accounts module owns. */
export interface AccountsTables {
  ais_account_refs: AisAccountRefsTable;
}
