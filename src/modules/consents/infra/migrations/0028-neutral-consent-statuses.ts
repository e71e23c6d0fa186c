import { sql, type Kysely } from 'kysely';

/**
 * Consents record neutral statuses (`awaiting-authorisation`, `authorised`, …); rows written before
 * stored UK Open Banking's v3.1 status words. Each standard's facade maps the neutral statuses to
 * its own codes, so what TPPs read is unchanged. No constraint or index predicate names a status
 * (the `consents_psu` index covers the column whatever its values). Events recorded before keep
 * their words: they are `ConsentStatusChanged` v1, which consumers still read.
 */
const RENAMES = [
  ['AwaitingUpload', 'awaiting-upload'],
  ['AwaitingAuthorisation', 'awaiting-authorisation'],
  ['Authorised', 'authorised'],
  ['Rejected', 'rejected'],
  ['Revoked', 'revoked'],
  ['Expired', 'expired'],
  ['Consumed', 'consumed'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [from, to] of RENAMES) {
    await sql`UPDATE consents SET status = ${to} WHERE status = ${from}`.execute(db);
  }
}
