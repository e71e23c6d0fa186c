import { sql, type Kysely } from 'kysely';

/**
 * The modules no longer keep the OB request body: the facade's `ob_wire_bodies` holds it
 * (migration 0032). A payment of a payment file is echoed from its file's entries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['consents', 'payments', 'standing_orders', 'file_payments']) {
    await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN request`.execute(db);
  }
}
