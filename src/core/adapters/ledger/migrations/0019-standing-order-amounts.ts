import { sql, type Kysely } from 'kysely';

/**
 * The amounts of a standing order as AIS shows them (OB `OBStandingOrder6` First/Next/Last/Final
 * PaymentAmount): a standing order made through payment initiation may pay a different first,
 * recurring and final amount. Null where the order pays `amount_minor` every time (the sandbox's).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE bank_standing_orders
      ADD COLUMN first_amount_minor bigint CHECK (first_amount_minor > 0),
      ADD COLUMN next_amount_minor bigint CHECK (next_amount_minor > 0),
      ADD COLUMN last_amount_minor bigint CHECK (last_amount_minor > 0),
      ADD COLUMN final_amount_minor bigint CHECK (final_amount_minor > 0)`.execute(db);
}
