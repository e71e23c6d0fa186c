import { sql, type Kysely } from 'kysely';

/**
 * The data-encryption keys of envelope encryption (src/platform/keystore/data-key-ring.ts): AES-256
 * keys, each stored sealed under the key-encryption key, one active per purpose. Personal data
 * columns are encrypted under the active key; retired keys still open what they sealed until a
 * re-encryption pass has moved every value to the active one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE data_encryption_keys (
      id text PRIMARY KEY,
      purpose text NOT NULL,
      sealed jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'retired')),
      created_at timestamptz NOT NULL,
      retired_at timestamptz,
      CHECK ((status = 'retired') = (retired_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX data_encryption_keys_one_active ON data_encryption_keys (purpose) WHERE status = 'active'`.execute(db);
}
