import { sql, type Kysely } from 'kysely';

/** Console logins of the bank's staff, and the sandbox's published ones (docs/operations-console.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE operators (
      id text PRIMARY KEY,
      username text NOT NULL UNIQUE,
      password_hash text NOT NULL,
      totp_secret text NOT NULL,
      role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    )`.execute(db);
  await sql`
    CREATE TABLE sandbox_operators (
      username text PRIMARY KEY REFERENCES operators(username) ON DELETE CASCADE,
      password text NOT NULL,
      position integer NOT NULL
    )`.execute(db);
}
