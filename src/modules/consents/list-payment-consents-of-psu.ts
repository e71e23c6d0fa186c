import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { Consent } from './consent-model.ts';
import { toConsent } from './consent-row.ts';

/** The most payment consents the dashboard lists (newest first). */
const HISTORY_LIMIT = 50;

/**
 * The payment consents a PSU has authorised, newest first (the access dashboard's payments): those
 * still Authorised (a VRP consent stays so until revoked or past its validity), and the history of
 * used (Consumed), revoked and expired ones.
 */
export async function listPaymentConsentsOfPsu(db: Db, psuId: string, now: Date = new Date()): Promise<Consent[]> {
  const rows = await db
    .selectFrom('consents')
    .selectAll()
    .where('psu_id', '=', psuId)
    .where('status', 'in', ['authorised', 'consumed', 'revoked', 'expired'])
    .where('authorised_at', 'is not', null)
    // A consent of a payment kind carries its payment summary (a JSON object; others hold JSON null).
    .where(sql<boolean>`jsonb_typeof(payment) = 'object'`)
    .orderBy(sql`authorised_at`, 'desc')
    .limit(HISTORY_LIMIT)
    .execute();
  return rows.map((row) => toConsent(row, now));
}
