import { sql, type Kysely } from 'kysely';

/**
 * The OB v4.0 facade keeps the request bodies it echoes in its own table, `ob_wire_bodies`
 * (src/standards/uk-obie/v4.0/_wire/wire-store.ts): one per consent, payment, standing order and
 * file payment created by an OB request. The bodies the modules' tables held so far are copied
 * there; migration 0033 drops those columns. The payments of standing orders (instalments) and
 * of payment files were never created by a request of their own, so theirs are not copied.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ob_wire_bodies (
      resource_type text NOT NULL,
      resource_id text NOT NULL,
      body jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (resource_type, resource_id)
    )`.execute(db);
  await sql`
    INSERT INTO ob_wire_bodies (resource_type, resource_id, body, created_at)
    SELECT 'consent', id, request, created_at FROM consents`.execute(db);
  await sql`
    INSERT INTO ob_wire_bodies (resource_type, resource_id, body, created_at)
    SELECT 'payment', id, request, created_at FROM payments
    WHERE kind IN ('domestic-payment', 'domestic-vrp', 'domestic-scheduled-payment', 'international-payment', 'international-scheduled-payment')`.execute(db);
  await sql`
    INSERT INTO ob_wire_bodies (resource_type, resource_id, body, created_at)
    SELECT 'standing-order', id, request, created_at FROM standing_orders`.execute(db);
  await sql`
    INSERT INTO ob_wire_bodies (resource_type, resource_id, body, created_at)
    SELECT 'file-payment', id, request, created_at FROM file_payments`.execute(db);
}
