import { sql, type RawBuilder } from 'kysely';

/*
 * Column groups that several migrations write alike. Applied migrations depend on this exact
 * text: never change a group here; a later schema change is a new migration.
 */

/** An order a consent's one use creates (one per consent), with the TPP and the PSU it belongs to. */
export const ONE_ORDER_PER_CONSENT_COLUMNS = sql.raw(`id text PRIMARY KEY,
      consent_id text NOT NULL UNIQUE REFERENCES consents(id),
      client_id text NOT NULL,
      psu_id text NOT NULL`);

/** A creditor in the neutral model: name, and the scheme and identification of its account. */
export const CREDITOR_COLUMNS = sql.raw(`creditor_name text NOT NULL,
      creditor_scheme text NOT NULL,
      creditor_identification text NOT NULL`);

/**
 * The status of a TPP's order (with the reason it was rejected) and the account it is paid
 * from, as submitted (scheme, identification and name) and as resolved (`debtor_account_id`),
 * then the creditor's account when it is one of the bank's own.
 */
export function orderStatusAndAccountColumns(statuses: readonly string[]): RawBuilder<unknown> {
  return sql.raw(`status text NOT NULL CHECK (status IN (${statuses.map((s) => `'${s}'`).join(', ')})),
      status_reason_code text,
      status_reason text,
      created_at timestamptz NOT NULL,
      status_updated_at timestamptz NOT NULL,
      debtor_account_id text NOT NULL,
      debtor_scheme text,
      debtor_identification text,
      debtor_name text,
      creditor_account_id text`);
}
