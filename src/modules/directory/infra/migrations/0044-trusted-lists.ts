import { sql, type Kysely } from 'kysely';

/**
 * The qualified trust services of the trusted lists imported (ETSI TS 119 612: the EU List of
 * Trusted Lists' national lists, or a configured CA set): one row per list, and per service
 * certificate with what it may issue and its status history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE trusted_lists (
      territory text PRIMARY KEY,
      sequence_number integer NOT NULL,
      issued_at timestamptz NOT NULL,
      next_update timestamptz,
      source text NOT NULL,
      signer_pem text,
      service_count integer NOT NULL,
      imported_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE trusted_services (
      territory text NOT NULL REFERENCES trusted_lists(territory) ON DELETE CASCADE,
      position integer NOT NULL,
      provider_name text NOT NULL,
      service_name text NOT NULL,
      service_type text NOT NULL,
      certificate_subject text NOT NULL,
      certificate_pem text NOT NULL,
      uses jsonb NOT NULL,
      statuses jsonb NOT NULL,
      PRIMARY KEY (territory, position)
    )`.execute(db);
  await sql`CREATE INDEX trusted_services_subject ON trusted_services (certificate_subject)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE trusted_services`.execute(db);
  await sql`DROP TABLE trusted_lists`.execute(db);
}
