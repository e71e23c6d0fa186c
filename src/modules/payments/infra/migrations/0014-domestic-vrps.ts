import { sql, type Kysely } from 'kysely';

/**
 * Domestic VRPs are rows of `payments` (kind `domestic-vrp`, many per consent). Each submission sums
 * the consent's VRPs since the start of each periodic limit's current period (src/modules/payments
 * `submitDomesticVrp`): this index serves that sum.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX payments_vrp_consent_period ON payments (consent_id, created_at) WHERE kind = 'domestic-vrp'`.execute(db);
}
