import { sql, type Kysely } from 'kysely';
import { CREDITOR_COLUMNS, orderStatusAndAccountColumns } from '../../../../platform/db/migrations/shared-columns.ts';

/**
 * Payments submitted under payment consents (src/modules/payments), in the neutral model: amount
 * in minor units, creditor as scheme and identification, the status of the payment order. `request`
 * keeps the standard's submission as received, for the facade to echo. A single-payment consent
 * pays once: the partial unique index refuses a second payment under it whatever code writes it.
 * `entry_id` is the ledger entry that executed the payment (its `external_ref` is the payment's,
 * so the ledger itself refuses a second execution).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payments (
      id text PRIMARY KEY,
      kind text NOT NULL,
      consent_id text NOT NULL REFERENCES consents(id),
      client_id text NOT NULL,
      psu_id text NOT NULL,
      ${orderStatusAndAccountColumns(['Pending', 'AcceptedSettlementInProcess', 'AcceptedSettlementCompleted', 'AcceptedCreditSettlementCompleted', 'Rejected'])},
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency char(3) NOT NULL,
      ${CREDITOR_COLUMNS},
      reference text,
      request jsonb NOT NULL,
      share_refund_account boolean NOT NULL DEFAULT false,
      entry_id text REFERENCES bank_journal_entries(id),
      executed_at timestamptz,
      CHECK ((status = 'Rejected') = (status_reason_code IS NOT NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX payments_one_per_single_payment_consent ON payments (consent_id) WHERE kind = 'domestic-payment'`.execute(db);
  await sql`CREATE INDEX payments_client ON payments (client_id, created_at)`.execute(db);
}
