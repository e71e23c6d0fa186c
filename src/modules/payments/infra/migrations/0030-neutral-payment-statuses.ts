import { sql, type Kysely } from 'kysely';

/**
 * Payments record their status in neutral terms that follow the execution saga: pending, booked
 * (the core booked it and the scheme's settlement is in process), settled, rejected. Rows written
 * before stored UK Open Banking's `OBTransactionIndividualStatus1Code` names. Both settled names
 * become `settled`: the OB facade tells them apart again by whether the creditor's account is one
 * of the bank's own (credited here, ACCC) or not (settled by the scheme, ACSC), which is how they
 * were set, so what TPPs read is unchanged.
 */
const RENAMES = [
  ['Pending', 'pending'],
  ['AcceptedSettlementInProcess', 'booked'],
  ['AcceptedSettlementCompleted', 'settled'],
  ['AcceptedCreditSettlementCompleted', 'settled'],
  ['Rejected', 'rejected'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // The CHECKs of migration 0012, named as PostgreSQL named them.
  await sql`ALTER TABLE payments DROP CONSTRAINT payments_status_check`.execute(db);
  await sql`ALTER TABLE payments DROP CONSTRAINT payments_check`.execute(db);
  const renamed = sql.join(RENAMES.map(([from, to]) => sql`WHEN ${from} THEN ${to}`), sql` `);
  await sql`UPDATE payments SET status = CASE status ${renamed} ELSE status END`.execute(db);
  await sql`ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('pending', 'booked', 'settled', 'rejected'))`.execute(db);
  await sql`ALTER TABLE payments ADD CONSTRAINT payments_rejected_with_reason CHECK ((status = 'rejected') = (status_reason_code IS NOT NULL))`.execute(db);
}
