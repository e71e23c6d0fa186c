import { sql, type Kysely } from 'kysely';

/**
 * The authorisation server's state. `oidc_payloads` is oidc-provider's storage (tokens, codes,
 * grants, sessions, interactions, PAR objects, replay markers, clients), keyed by model kind and id,
 * so that every instance shares it (DESIGN.md §1, scale-out). `auth_signing_keys` holds the keys the
 * authorisation server signs ID tokens, JARM responses and the like with.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE oidc_payloads (
      id text NOT NULL,
      kind text NOT NULL,
      payload jsonb NOT NULL,
      grant_id text,
      user_code text,
      uid text,
      expires_at timestamptz,
      consumed_at timestamptz,
      PRIMARY KEY (kind, id)
    )`.execute(db);
  await sql`CREATE INDEX oidc_payloads_grant_id ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX oidc_payloads_uid ON oidc_payloads (uid) WHERE uid IS NOT NULL`.execute(db);
  await sql`CREATE INDEX oidc_payloads_user_code ON oidc_payloads (user_code) WHERE user_code IS NOT NULL`.execute(db);
  // The periodic clean-up deletes by expiry; without this index it would scan every token.
  await sql`CREATE INDEX oidc_payloads_expires_at ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE auth_signing_keys (
      kid text PRIMARY KEY,
      alg text NOT NULL CHECK (alg IN ('PS256', 'ES256')),
      private_jwk jsonb NOT NULL,
      public_jwk jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'retired')),
      created_at timestamptz NOT NULL,
      retired_at timestamptz,
      expires_at timestamptz,
      CHECK ((status = 'retired') = (retired_at IS NOT NULL))
    )`.execute(db);
  // At most one signing key per algorithm: instances starting together cannot each create one.
  await sql`CREATE UNIQUE INDEX auth_signing_keys_one_active_per_alg ON auth_signing_keys (alg) WHERE status = 'active'`.execute(db);
}
