import { sql, type Kysely } from 'kysely';

/**
 * Standing orders record their status in neutral terms: pending until the first instalment is
 * answered, then set-up or failed. Rows written before stored UK Open Banking's names
 * (`InitiationPending`, `InitiationCompleted`, `InitiationFailed`); the OB facade maps the neutral
 * ones back to PDNG, INCO and INFA, so what TPPs read is unchanged.
 */
const RENAMES = [
  ['InitiationPending', 'pending'],
  ['InitiationCompleted', 'set-up'],
  ['InitiationFailed', 'failed'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // The CHECK of migration 0015, named as PostgreSQL named it.
  await sql`ALTER TABLE standing_orders DROP CONSTRAINT standing_orders_status_check`.execute(db);
  const renamed = sql.join(RENAMES.map(([from, to]) => sql`WHEN ${from} THEN ${to}`), sql` `);
  await sql`UPDATE standing_orders SET status = CASE status ${renamed} ELSE status END`.execute(db);
  await sql`ALTER TABLE standing_orders ADD CONSTRAINT standing_orders_status_check CHECK (status IN ('pending', 'set-up', 'failed'))`.execute(db);
}
