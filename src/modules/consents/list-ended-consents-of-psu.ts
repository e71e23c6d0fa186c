import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { Consent } from './consent-model.ts';
import { toConsent } from './consent-row.ts';

/** The most ended consents the dashboard's history lists (most recently ended first). */
const HISTORY_LIMIT = 50;

/**
 * The data-sharing consents (account access, funds confirmation) a PSU authorised that have
 * ended — revoked by the PSU or the provider, or past their expiry — for the dashboard's history.
 * Payment consents are listed by `listPaymentConsentsOfPsu`.
 */
export async function listEndedConsentsOfPsu(db: Db, psuId: string, now: Date = new Date()): Promise<Consent[]> {
  const rows = await db
    .selectFrom('consents')
    .selectAll()
    .where('psu_id', '=', psuId)
    .where('authorised_at', 'is not', null)
    .where(sql<boolean>`jsonb_typeof(payment) is distinct from 'object'`)
    .where((eb) => eb.or([eb('status', 'in', ['revoked', 'expired']), eb.and([eb('status', '=', 'authorised'), eb('expires_at', '<=', now)])]))
    .orderBy(sql`coalesce(least(expires_at, status_updated_at), status_updated_at)`, 'desc')
    .limit(HISTORY_LIMIT)
    .execute();
  return rows.map((row) => toConsent(row, now));
}
