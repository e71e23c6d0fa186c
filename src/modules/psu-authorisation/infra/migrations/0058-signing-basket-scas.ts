import { sql, type Kysely } from 'kysely';

/**
 * An SCA may authorise a signing basket (purpose `authorise-basket`): its `consent_id` then names
 * the basket, whose members the one SCA authorises together.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE sca_authorisations DROP CONSTRAINT sca_authorisations_purpose_check`.execute(db);
  await sql`ALTER TABLE sca_authorisations ADD CONSTRAINT sca_authorisations_purpose_check CHECK (purpose IN ('authorise', 'cancel', 'authorise-basket'))`.execute(db);
}
