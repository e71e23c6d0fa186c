import type { Generated } from 'kysely';
import type { Json, Timestamp, NullableTimestamp } from '../../../platform/db/column-types.ts';

/** Console logins of the bank's staff (migration 0051). */
export interface OperatorsTable {
  id: string;
  username: string;
  /** `scrypt$N$r$p$salt$hash`, as PSU passwords (psu-identity's password-hash.ts). */
  password_hash: string;
  /** Base32 TOTP secret (RFC 6238). */
  totp_secret: string;
  role: 'viewer' | 'operator' | 'admin';
  created_at: Timestamp;
  disabled_at: NullableTimestamp;
}

/** The sandbox's published operator logins (migration 0051), in the order `GET /sandbox/v1/operators` lists them. */
export interface SandboxOperatorsTable {
  username: string;
  password: string;
  position: number;
}

/** WebAuthn credentials of operators (migration 0053), named by their operator. */
export interface OperatorPasskeysTable {
  credential_id: string;
  operator_id: string;
  name: string;
  /** COSE public key, base64url. */
  public_key: string;
  counter: bigint;
  transports: Json<string[]>;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
}

/** The tables the operators module owns. */
export interface OperatorsTables {
  operators: OperatorsTable;
  sandbox_operators: SandboxOperatorsTable;
  operator_passkeys: OperatorPasskeysTable;
}
