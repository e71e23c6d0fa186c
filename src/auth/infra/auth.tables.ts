import type { Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../platform/db/column-types.ts';

/** One oidc-provider model instance (token, code, grant, session, client, …), see src/auth/oidc-adapter.ts (migration 0005). */
export interface OidcPayloadsTable {
  id: string;
  /** oidc-provider's model name: `AccessToken`, `Grant`, `Session`, `Client`, … */
  kind: string;
  payload: Json<Record<string, unknown>>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  /** Null for models without expiry (clients); expired rows count as absent. */
  expires_at: NullableTimestamp;
  consumed_at: NullableTimestamp;
}

export type SigningKeyAlg = 'PS256' | 'ES256';

export interface AuthSigningKeysTable {
  /** RFC 7638 JWK thumbprint of the public key. */
  kid: string;
  alg: SigningKeyAlg;
  /** Where the private key is, as the key manager that made it stores it (src/platform/keystore). */
  private_jwk: Json<unknown>;
  public_jwk: Json<Record<string, unknown>>;
  status: 'active' | 'retired';
  created_at: Timestamp;
  /** When it starts to sign (published before); null: from created_at (migration 0041). */
  activates_at: NullableTimestamp;
  /** When its successor starts to sign. */
  retired_at: NullableTimestamp;
  /** When a retired key leaves the JWKS (retired_at + the longest signed-token lifetime). */
  expires_at: NullableTimestamp;
}

/** The keys oidc-provider signs its cookies with, newest first (migration 0007). */
export interface AuthCookieKeysTable {
  id: Generated<number>;
  key: string;
  created_at: Generated<Date>;
}

/** The tables the authorisation server owns: no module reads them. */
export interface AuthTables {
  oidc_payloads: OidcPayloadsTable;
  auth_signing_keys: AuthSigningKeysTable;
  auth_cookie_keys: AuthCookieKeysTable;
}
