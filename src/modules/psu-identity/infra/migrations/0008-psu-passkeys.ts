import { sql, type Kysely } from 'kysely';

/** WebAuthn passkeys a PSU enrolled as a second authentication method. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE psu_passkeys (
      credential_id text PRIMARY KEY,
      psu_id text NOT NULL REFERENCES psu_users(id) ON DELETE CASCADE,
      public_key text NOT NULL,
      counter bigint NOT NULL DEFAULT 0,
      transports jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX psu_passkeys_psu ON psu_passkeys (psu_id)`.execute(db);
}
