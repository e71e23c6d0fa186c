import { sql, type Kysely } from 'kysely';
import { CREDITOR_COLUMNS, ONE_ORDER_PER_CONSENT_COLUMNS, orderStatusAndAccountColumns } from '../../../../platform/db/migrations/shared-columns.ts';

/**
 * Domestic scheduled payments and standing orders (src/modules/payments).
 *
 * A scheduled payment is a row of `payments` (kind `domestic-scheduled-payment`, one per consent,
 * like a single payment) executed by the same job at its requested date. A standing order is a row
 * of `standing_orders` with its schedule; each instalment, once due, becomes a row of `payments`
 * (kind `domestic-standing-order`) executed on the ledger like any payment, and is recorded in
 * `standing_order_instalments`, whose primary key (order, number) makes an instalment exist once
 * whatever code writes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE UNIQUE INDEX payments_one_per_scheduled_payment_consent ON payments (consent_id) WHERE kind = 'domestic-scheduled-payment'`.execute(db);
  await sql`
    CREATE TABLE standing_orders (
      ${ONE_ORDER_PER_CONSENT_COLUMNS},
      ${orderStatusAndAccountColumns(['InitiationPending', 'InitiationCompleted', 'InitiationFailed'])},
      currency char(3) NOT NULL,
      ${CREDITOR_COLUMNS},
      reference text,
      first_amount_minor bigint NOT NULL CHECK (first_amount_minor > 0),
      recurring_amount_minor bigint CHECK (recurring_amount_minor > 0),
      final_amount_minor bigint CHECK (final_amount_minor > 0),
      first_payment_at timestamptz NOT NULL,
      recurring_payment_at timestamptz,
      final_payment_at timestamptz,
      number_of_payments integer CHECK (number_of_payments > 0),
      frequency text NOT NULL,
      request jsonb NOT NULL,
      share_refund_account boolean NOT NULL DEFAULT false
    )`.execute(db);
  await sql`CREATE INDEX standing_orders_client ON standing_orders (client_id, created_at)`.execute(db);
  await sql`
    CREATE TABLE standing_order_instalments (
      standing_order_id text NOT NULL REFERENCES standing_orders(id),
      instalment_number integer NOT NULL CHECK (instalment_number > 0),
      payment_id text NOT NULL UNIQUE REFERENCES payments(id),
      due_at timestamptz NOT NULL,
      PRIMARY KEY (standing_order_id, instalment_number)
    )`.execute(db);
}
