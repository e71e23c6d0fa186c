import { sql, type Kysely } from 'kysely';

/**
 * What the PSU authorisation journey needs: keys for the authorisation server's interaction and
 * session cookies, shared by every instance; and on a consent, the grant it was authorised under,
 * the neutral payment summary shown to the PSU, and the SCA binding of that summary (PSD2 RTS
 * Art. 5 dynamic linking).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE auth_cookie_keys (
      id serial PRIMARY KEY,
      key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`ALTER TABLE consents ADD COLUMN grant_id text`.execute(db);
  await sql`ALTER TABLE consents ADD COLUMN payment jsonb`.execute(db);
  await sql`ALTER TABLE consents ADD COLUMN sca_binding text`.execute(db);
  await sql`CREATE INDEX consents_grant ON consents (grant_id)`.execute(db);
}
