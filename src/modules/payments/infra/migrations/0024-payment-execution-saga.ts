import { sql, type Kysely } from 'kysely';

/**
 * Payments execute through the core-banking port, as a saga with no transaction shared with the
 * core: `sent_to_core_at` marks a payment handed to the core (SentToCore), `core_ref` is the core's
 * reference of it once booked (formerly the built-in ledger's entry id, tied to its table).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_entry_id_fkey`.execute(db);
  await sql`ALTER TABLE payments RENAME COLUMN entry_id TO core_ref`.execute(db);
  await sql`ALTER TABLE payments ADD COLUMN sent_to_core_at timestamptz`.execute(db);
}
