import { sql, type Kysely } from 'kysely';

/**
 * The exchange rates of international payments (src/modules/payments, src/core/fx): the terms a
 * consent settled when it was staged (`owner_id` the consent's id), and the rate a payment applied
 * when it was submitted (`owner_id` the payment's id), as `ExchangeRateTerms` JSON (the rate an exact
 * decimal string, dates ISO 8601).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payment_exchange_rates (
      owner_id text PRIMARY KEY,
      terms jsonb NOT NULL
    )`.execute(db);
}
