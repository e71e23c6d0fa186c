import { sql, type Kysely } from 'kysely';

/** SCA authorisations: one strong customer authentication of a consent, started by the TPP. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sca_authorisations (
      id text PRIMARY KEY,
      consent_id text NOT NULL,
      client_id text NOT NULL,
      purpose text NOT NULL CHECK (purpose IN ('authorise', 'cancel')),
      status text NOT NULL,
      redirect_uri text,
      nok_redirect_uri text,
      psu_id text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX sca_authorisations_consent ON sca_authorisations (consent_id, purpose)`.execute(db);
}
