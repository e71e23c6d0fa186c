import type { Generated } from 'kysely';

/** The public AccountId of each account exposed to TPPs (migration 0009). */
export interface AisAccountRefsTable {
  account_id: string;
  public_id: string;
  created_at: Generated<Date>;
}

/** The read model of the core's accounts, one row per account (migration 0034). */
export interface AccountReadModelTable {
  account_id: string;
  requested: Generated<bigint>;
  written: Generated<bigint>;
  /** The encoded `AccountProjection`; null while the first refresh is under way. */
  projection: string | null;
  projected_at: Date | null;
}

/** The tables the accounts module owns. */
export interface AccountsTables {
  ais_account_refs: AisAccountRefsTable;
  account_read_model: AccountReadModelTable;
}
