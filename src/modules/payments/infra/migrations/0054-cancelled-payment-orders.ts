import { sql, type Kysely } from 'kysely';

/**
 * A payment order can be cancelled before it runs: a scheduled payment not yet handed to the core,
 * and a standing order whose further instalments are stopped. Both tables' status CHECKs gain
 * `cancelled` (migrations 0030 and 0031 named them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payments DROP CONSTRAINT payments_status_check`.execute(db);
  await sql`ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('pending', 'booked', 'settled', 'rejected', 'cancelled'))`.execute(db);
  await sql`ALTER TABLE standing_orders DROP CONSTRAINT standing_orders_status_check`.execute(db);
  await sql`ALTER TABLE standing_orders ADD CONSTRAINT standing_orders_status_check CHECK (status IN ('pending', 'set-up', 'failed', 'cancelled'))`.execute(db);
}
