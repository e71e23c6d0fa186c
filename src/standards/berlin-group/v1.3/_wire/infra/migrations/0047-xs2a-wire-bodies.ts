import { sql, type Kysely } from 'kysely';

/** The Berlin Group facade keeps the request bodies it echoes in its own table. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE xs2a_wire_bodies (
      resource_type text NOT NULL,
      resource_id text NOT NULL,
      body jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (resource_type, resource_id)
    )`.execute(db);
}
