import { sql, type Kysely } from 'kysely';

/**
 * WebAuthn passkeys of console operators (docs/operations-console.md): each credential belongs to
 * one operator and goes with the operator's row; `counter` is the authenticator's last signature counter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE operator_passkeys (
      credential_id text PRIMARY KEY,
      operator_id text NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
      name text NOT NULL,
      public_key text NOT NULL,
      counter bigint NOT NULL DEFAULT 0,
      transports jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX operator_passkeys_operator ON operator_passkeys (operator_id)`.execute(db);
}
