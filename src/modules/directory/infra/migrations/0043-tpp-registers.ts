import { sql, type Kysely } from 'kysely';

/**
 * The competent authorities' registers of payment and e-money institutions (EBA PSD2 register,
 * FCA register), as last synchronised: one row per entity and register, with the roles it may
 * act in per country; and a record of each synchronisation with what it changed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE register_entities (
      register text NOT NULL,
      entity_code text NOT NULL,
      organization_identifier text NOT NULL,
      name text NOT NULL,
      entity_type text NOT NULL,
      home_country text NOT NULL,
      authorised boolean NOT NULL,
      authorised_from text,
      withdrawn_on text,
      services jsonb NOT NULL,
      listed boolean NOT NULL,
      content_hash text NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (register, entity_code)
    )`.execute(db);
  await sql`CREATE INDEX register_entities_identifier ON register_entities (organization_identifier)`.execute(db);
  await sql`
    CREATE TABLE register_syncs (
      id text PRIMARY KEY,
      register text NOT NULL,
      source text NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      total integer NOT NULL,
      added integer NOT NULL,
      withdrawn integer NOT NULL,
      changed integer NOT NULL,
      unchanged integer NOT NULL,
      report jsonb NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX register_syncs_register ON register_syncs (register, finished_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE register_syncs`.execute(db);
  await sql`DROP TABLE register_entities`.execute(db);
}
