import { sql, type Kysely } from 'kysely';

/**
 * Signing baskets: consents of one TPP the PSU authorises with one SCA. A member is pending while
 * its basket awaits authorisation; the partial unique index keeps a consent in at most one pending
 * basket, however many are created at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE signing_baskets (
      id text PRIMARY KEY,
      client_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('awaiting-authorisation', 'authorised', 'rejected', 'cancelled')),
      created_at timestamptz NOT NULL,
      status_updated_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE signing_basket_members (
      basket_id text NOT NULL REFERENCES signing_baskets (id),
      consent_id text NOT NULL,
      position integer NOT NULL,
      pending boolean NOT NULL,
      PRIMARY KEY (basket_id, consent_id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX signing_basket_members_pending ON signing_basket_members (consent_id) WHERE pending`.execute(db);
}
