import { sql, type Kysely } from 'kysely';

/**
 * The AccountId a TPP sees for an account (OB v4.0 `AccountId`: "a unique and immutable
 * identifier … no meaning to the account owner"): random, so ids cannot be guessed or derived
 * from the core's own account numbers, and kept, so they stay the same across consents.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ais_account_refs (
      account_id text PRIMARY KEY,
      public_id text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}
