import { sql, type Kysely } from 'kysely';

/**
 * International scheduled payments and standing orders (src/modules/payments).
 *
 * An international scheduled payment is a row of `payments` (kind `international-scheduled-payment`,
 * one per consent) executed at its requested date, converted then. An international standing order
 * is a row of `standing_orders` of kind `international-standing-order`: its amounts are in the
 * currency of transfer, and each instalment (a row of `payments`, kind `international-standing-order`)
 * debits `debit_currency`, the debtor account's, converted when it runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE UNIQUE INDEX payments_one_per_international_scheduled_payment_consent ON payments (consent_id) WHERE kind = 'international-scheduled-payment'`.execute(db);
  await sql`
    ALTER TABLE standing_orders
      ADD COLUMN kind text NOT NULL DEFAULT 'domestic-standing-order' CHECK (kind IN ('domestic-standing-order', 'international-standing-order')),
      ADD COLUMN debit_currency char(3),
      ADD CONSTRAINT standing_orders_debit_currency_of_international CHECK ((kind = 'international-standing-order') = (debit_currency IS NOT NULL))`.execute(db);
}
