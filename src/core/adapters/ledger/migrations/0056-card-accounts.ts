import { sql, type Kysely } from 'kysely';

/**
 * Card accounts: a ledger account whose card is `card_masked_pan` (its credit limit is the
 * account's `overdraft_limit_minor`, so the balance check that keeps customer accounts above their
 * overdraft keeps a card within its limit), and on statement lines the details a card transaction
 * carries beyond a payment's: when the card was used, the amount in the currency it was used in
 * with the rate applied, and the acceptor. Null for every account and line before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE bank_accounts ADD COLUMN card_masked_pan text`.execute(db);
  await sql`
    ALTER TABLE bank_transactions
      ADD COLUMN transacted_at timestamptz,
      ADD COLUMN original_amount_minor bigint CHECK (original_amount_minor > 0),
      ADD COLUMN original_currency char(3),
      ADD COLUMN exchange_rate text,
      ADD COLUMN card_acceptor_id text,
      ADD CONSTRAINT bank_transactions_original_amount CHECK ((original_amount_minor IS NULL) = (original_currency IS NULL))`.execute(db);
}
