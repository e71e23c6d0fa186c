import { sql, type Kysely } from 'kysely';
import { ONE_ORDER_PER_CONSENT_COLUMNS } from '../../../../platform/db/migrations/shared-columns.ts';

/**
 * File payments (src/modules/payments).
 *
 * `payment_files` holds, per file payment consent, the terms the TPP declared when staging it (file
 * type, hash, number of transactions, control sum, execution date, debtor account) and, once
 * uploaded, the file itself as received (`content`, its size bounded by configuration) with its
 * payments in neutral terms (`entries`). A file payment is a row of `file_payments`, one per
 * consent (the UNIQUE); each payment of its file becomes a row of `payments` (kind `file-payment`,
 * many per consent) executed on the ledger like any payment, recorded in `file_payment_items` in
 * the order of the file, whose keys make each payment belong to one file payment at one position.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payment_files (
      consent_id text PRIMARY KEY REFERENCES consents(id),
      file_type text NOT NULL,
      file_hash text NOT NULL,
      file_reference text,
      number_of_transactions integer CHECK (number_of_transactions > 0),
      control_sum text,
      requested_execution_at timestamptz,
      debtor_account_id text,
      content bytea,
      content_type text,
      entries jsonb,
      uploaded_at timestamptz,
      CHECK ((content IS NULL) = (uploaded_at IS NULL) AND (content IS NULL) = (entries IS NULL))
    )`.execute(db);
  await sql`
    CREATE TABLE file_payments (
      ${ONE_ORDER_PER_CONSENT_COLUMNS},
      created_at timestamptz NOT NULL,
      request jsonb NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE file_payment_items (
      file_payment_id text NOT NULL REFERENCES file_payments(id),
      position integer NOT NULL CHECK (position >= 0),
      payment_id text NOT NULL UNIQUE REFERENCES payments(id),
      PRIMARY KEY (file_payment_id, position)
    )`.execute(db);
}
