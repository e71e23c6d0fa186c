import { sql, type Kysely } from 'kysely';

/**
 * When a signing key starts to sign (decision 0012d). A rotation publishes the new key first and
 * lets it sign only from `activates_at`, so every instance and every TPP's JWKS cache knows it
 * before any signature needs it. Null for keys made before: they signed from `created_at`.
 * Expand only: instances of the previous version ignore the column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE auth_signing_keys ADD COLUMN activates_at timestamptz`.execute(db);
}
