import { sql, type Kysely } from 'kysely';

/** PSU credentials (hashed password, TOTP secret) and the sandbox's published test logins. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE psu_users (
      id text PRIMARY KEY,
      username text NOT NULL UNIQUE,
      password_hash text NOT NULL,
      totp_secret text NOT NULL,
      party_id text NOT NULL REFERENCES bank_parties(id),
      failed_attempts integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE sandbox_psus (
      username text PRIMARY KEY REFERENCES psu_users(username),
      password text NOT NULL,
      totp_secret text NOT NULL,
      name text NOT NULL,
      party_id text NOT NULL REFERENCES bank_parties(id),
      position integer NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE sandbox_seed_runs (
      id serial PRIMARY KEY,
      seed integer NOT NULL,
      customers integer NOT NULL,
      months integer NOT NULL,
      seeded_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}
