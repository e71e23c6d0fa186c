import { sql, type Kysely } from 'kysely';

/** Consents of every kind (account access, payments, VRP, funds confirmation) in one neutral table. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE consents (
      id text PRIMARY KEY,
      kind text NOT NULL,
      client_id text NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL,
      status_updated_at timestamptz NOT NULL,
      permissions jsonb NOT NULL DEFAULT '[]',
      expires_at timestamptz,
      transaction_from timestamptz,
      transaction_to timestamptz,
      request jsonb NOT NULL,
      psu_id text,
      party_id text,
      account_ids jsonb NOT NULL DEFAULT '[]',
      authorised_at timestamptz,
      revoked_by text
    )`.execute(db);
  await sql`CREATE INDEX consents_client ON consents (client_id, created_at)`.execute(db);
  await sql`CREATE INDEX consents_psu ON consents (psu_id, status)`.execute(db);
}
