import type { Generated } from 'kysely';
import type { Json, NullableTimestamp } from '../../../platform/db/column-types.ts';

/** PSU login identities (migration 0003); `party_id` is the PSU's party at the core. */
export interface PsuUsersTable {
  id: string;
  username: string;
  password_hash: string;
  totp_secret: string;
  party_id: string;
  failed_attempts: Generated<number>;
  locked_until: NullableTimestamp;
  created_at: Generated<Date>;
}

/** WebAuthn credentials of PSUs (migration 0008). */
export interface PsuPasskeysTable {
  credential_id: string;
  psu_id: string;
  public_key: string;
  counter: bigint;
  transports: Json<string[]>;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
}

/** The tables the PSU identity module owns. */
export interface PsuIdentityTables {
  psu_users: PsuUsersTable;
  psu_passkeys: PsuPasskeysTable;
}
