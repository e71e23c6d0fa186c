import { sql, type Kysely } from 'kysely';

/**
 * A consent may record why it reached its status: an authorised payment consent whose payment
 * the bank refused once authorised is rejected with the refusal's code and description
 * (`Consent.statusReason`). Null for every consent before, and for every other change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE consents ADD COLUMN status_reason jsonb`.execute(db);
}
