import { sql, type Kysely } from 'kysely';

/**
 * A standing order may move an instalment whose date is not a business day to the next
 * (`following`) or previous (`preceding`) one (NextGenPSD2 `executionRule`). Existing orders, and
 * every UK one, pay on their dates: null.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE standing_orders ADD COLUMN business_day_rule text NULL CHECK (business_day_rule IN ('following', 'preceding'))`.execute(db);
}
