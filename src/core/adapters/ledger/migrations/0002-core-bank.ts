import { sql, type Kysely } from 'kysely';
import { CREDITOR_COLUMNS } from '../../../../platform/db/migrations/shared-columns.ts';

/**
 * The built-in core bank: parties, products, accounts and a double-entry ledger. The deferred
 * constraint trigger makes the database itself refuse any journal entry whose postings do not
 * sum to zero per currency, whatever code wrote them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE bank_parties (
      id text PRIMARY KEY,
      party_number text NOT NULL UNIQUE,
      party_kind text NOT NULL CHECK (party_kind IN ('Person', 'Organisation')),
      name text NOT NULL,
      full_legal_name text NOT NULL,
      legal_structure text,
      email text,
      phone text,
      mobile text,
      address jsonb,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE bank_products (
      id text PRIMARY KEY,
      name text NOT NULL,
      product_type text NOT NULL,
      currency char(3) NOT NULL,
      details jsonb NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE bank_accounts (
      id text PRIMARY KEY,
      holder_kind text NOT NULL CHECK (holder_kind IN ('Personal', 'Business', 'Internal')),
      sub_type text NOT NULL,
      currency char(3) NOT NULL,
      name text NOT NULL,
      nickname text,
      sort_code char(6),
      account_number char(8),
      iban text UNIQUE,
      bic text,
      product_id text REFERENCES bank_products(id),
      status text NOT NULL,
      opened_at timestamptz NOT NULL,
      overdraft_limit_minor bigint NOT NULL DEFAULT 0 CHECK (overdraft_limit_minor >= 0),
      allow_negative boolean NOT NULL DEFAULT false,
      balance_minor bigint NOT NULL DEFAULT 0,
      pending_minor bigint NOT NULL DEFAULT 0,
      UNIQUE (sort_code, account_number),
      CHECK (allow_negative OR balance_minor + overdraft_limit_minor >= 0)
    )`.execute(db);
  await sql`
    CREATE TABLE bank_account_holders (
      account_id text NOT NULL REFERENCES bank_accounts(id),
      party_id text NOT NULL REFERENCES bank_parties(id),
      role text NOT NULL,
      PRIMARY KEY (account_id, party_id)
    )`.execute(db);
  await sql`CREATE INDEX bank_account_holders_party ON bank_account_holders (party_id)`.execute(db);
  await sql`
    CREATE TABLE bank_journal_entries (
      id text PRIMARY KEY,
      seq bigserial NOT NULL UNIQUE,
      kind text NOT NULL,
      description text NOT NULL,
      external_ref text UNIQUE,
      booked_at timestamptz NOT NULL,
      value_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE bank_postings (
      id bigserial PRIMARY KEY,
      entry_id text NOT NULL REFERENCES bank_journal_entries(id),
      account_id text NOT NULL REFERENCES bank_accounts(id),
      currency char(3) NOT NULL,
      amount_minor bigint NOT NULL CHECK (amount_minor <> 0)
    )`.execute(db);
  await sql`CREATE INDEX bank_postings_entry ON bank_postings (entry_id)`.execute(db);
  await sql`CREATE INDEX bank_postings_account ON bank_postings (account_id)`.execute(db);
  await sql`
    CREATE FUNCTION bank_assert_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE unbalanced text;
    BEGIN
      SELECT currency INTO unbalanced FROM bank_postings
        WHERE entry_id = NEW.entry_id GROUP BY currency HAVING sum(amount_minor) <> 0 LIMIT 1;
      IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'journal entry % does not balance in %', NEW.entry_id, unbalanced
          USING ERRCODE = '23514';
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE CONSTRAINT TRIGGER bank_postings_balanced
      AFTER INSERT OR UPDATE ON bank_postings
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION bank_assert_entry_balanced()`.execute(db);
  await sql`
    CREATE TABLE bank_transactions (
      id text PRIMARY KEY,
      seq bigserial NOT NULL,
      account_id text NOT NULL REFERENCES bank_accounts(id),
      entry_id text REFERENCES bank_journal_entries(id),
      status text NOT NULL CHECK (status IN ('Booked', 'Pending', 'Rejected')),
      credit_debit text NOT NULL CHECK (credit_debit IN ('Credit', 'Debit')),
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency char(3) NOT NULL,
      booking_at timestamptz NOT NULL,
      value_at timestamptz NOT NULL,
      description text NOT NULL,
      reference text,
      bank_transaction_code text NOT NULL,
      bank_transaction_subcode text NOT NULL,
      merchant_name text,
      merchant_category_code text,
      counterparty_name text,
      counterparty_scheme text,
      counterparty_identification text,
      balance_after_minor bigint,
      card_masked_pan text
    )`.execute(db);
  await sql`CREATE INDEX bank_transactions_account_time ON bank_transactions (account_id, booking_at, seq)`.execute(db);
  await sql`CREATE INDEX bank_transactions_entry ON bank_transactions (entry_id)`.execute(db);
  await sql`
    CREATE TABLE bank_beneficiaries (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES bank_accounts(id),
      beneficiary_type text NOT NULL,
      reference text,
      ${CREDITOR_COLUMNS},
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE bank_standing_orders (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES bank_accounts(id),
      frequency text NOT NULL,
      reference text,
      first_payment_at timestamptz NOT NULL,
      next_payment_at timestamptz,
      last_payment_at timestamptz,
      final_payment_at timestamptz,
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency char(3) NOT NULL,
      ${CREDITOR_COLUMNS},
      status text NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE bank_direct_debits (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES bank_accounts(id),
      mandate_identification text NOT NULL,
      originator_name text NOT NULL,
      status text NOT NULL,
      frequency text NOT NULL,
      previous_payment_at timestamptz,
      previous_payment_minor bigint,
      currency char(3) NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE bank_scheduled_payments (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES bank_accounts(id),
      scheduled_at timestamptz NOT NULL,
      scheduled_type text NOT NULL,
      reference text,
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency char(3) NOT NULL,
      ${CREDITOR_COLUMNS},
      status text NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE bank_statements (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES bank_accounts(id),
      statement_type text NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      currency char(3) NOT NULL,
      opening_balance_minor bigint NOT NULL,
      closing_balance_minor bigint NOT NULL,
      total_credits_minor bigint NOT NULL,
      total_debits_minor bigint NOT NULL,
      credit_count integer NOT NULL,
      debit_count integer NOT NULL
    )`.execute(db);
  for (const table of ['bank_beneficiaries', 'bank_standing_orders', 'bank_direct_debits', 'bank_scheduled_payments', 'bank_statements']) {
    await sql`CREATE INDEX ${sql.raw(`${table}_account`)} ON ${sql.table(table)} (account_id)`.execute(db);
  }
}
