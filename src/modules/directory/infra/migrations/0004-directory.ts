import { sql, type Kysely } from 'kysely';

/**
 * The TPP directory (organisations, software statements, their eIDAS-style certificates) and the
 * sandbox QTSP's key material. The QTSP lives in the database rather than on one instance's disk so
 * that every instance signs and validates with the same CA and certificates survive restarts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE directory_organisations (
      id text PRIMARY KEY,
      legal_name text NOT NULL,
      nca_name text NOT NULL,
      nca_id text NOT NULL,
      authorisation_number text NOT NULL,
      organization_identifier text NOT NULL UNIQUE,
      roles jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('Active', 'Suspended', 'Revoked')),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE directory_software_statements (
      software_id text PRIMARY KEY,
      organisation_id text NOT NULL REFERENCES directory_organisations(id),
      client_name text NOT NULL,
      redirect_uris jsonb NOT NULL,
      roles jsonb NOT NULL,
      jwks jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('Active', 'Inactive')),
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX directory_software_statements_organisation ON directory_software_statements (organisation_id)`.execute(db);
  await sql`
    CREATE TABLE directory_certificates (
      serial_number text PRIMARY KEY,
      organisation_id text NOT NULL REFERENCES directory_organisations(id),
      software_id text REFERENCES directory_software_statements(software_id),
      usage text NOT NULL CHECK (usage IN ('transport', 'signing')),
      subject text NOT NULL,
      sha256_thumbprint text NOT NULL UNIQUE,
      not_before timestamptz NOT NULL,
      not_after timestamptz NOT NULL,
      revoked_at timestamptz,
      revocation_reason text,
      pem text NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX directory_certificates_organisation ON directory_certificates (organisation_id)`.execute(db);
  await sql`CREATE INDEX directory_certificates_revoked ON directory_certificates (revoked_at) WHERE revoked_at IS NOT NULL`.execute(db);
  // One row per CA ('sandbox-qtsp'). The root key is not kept: the root only ever signs the issuing CA.
  await sql`
    CREATE TABLE directory_ca (
      id text PRIMARY KEY,
      root_cert_pem text NOT NULL,
      issuing_cert_pem text NOT NULL,
      issuing_key_pem text NOT NULL,
      crl_number bigint NOT NULL DEFAULT 0,
      directory_signing_key_pem text NOT NULL,
      directory_signing_kid text NOT NULL,
      created_at timestamptz NOT NULL
    )`.execute(db);
}
