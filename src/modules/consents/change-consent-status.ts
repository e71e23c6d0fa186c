import { sql } from 'kysely';
import type { Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { forgetConsent } from './consent-cache.ts';
import { recordEvent } from '../../platform/events/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { ConsentErrors } from './consents.errors.ts';
import type { Consent } from './consent-model.ts';
import { toConsent } from './consent-row.ts';
import { AccountAccessLinkedAccountsChangedV1, recordConsentStatusChanged } from './consent-events.ts';

export interface Authorisation {
  readonly psuId: string;
  readonly partyId: string;
  readonly accountIds: readonly string[];
  /** The authorisation server grant issued for this consent (tokens carry it). */
  readonly grantId?: string | undefined;
  /** For payments: the dynamic-linking binding the PSU's authentication code was checked against. */
  readonly scaBinding?: string | undefined;
}

/**
 * awaiting-authorisation → authorised, recording the PSU and the chosen accounts. The conditional
 * update makes it happen once: a second authorisation (replay, double submit, race) fails.
 */
export async function authoriseConsent(db: Db, id: string, authorisation: Authorisation, now: Date = new Date()): Promise<Consent> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('consents')
      .set({
        status: 'authorised',
        status_updated_at: now,
        authorised_at: now,
        psu_id: authorisation.psuId,
        party_id: authorisation.partyId,
        account_ids: JSON.stringify([...authorisation.accountIds]),
        grant_id: authorisation.grantId ?? null,
        sca_binding: authorisation.scaBinding ?? null,
      })
      .where('id', '=', id)
      .where('status', '=', 'awaiting-authorisation')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError(ConsentErrors.NOT_AWAITING_AUTHORISATION);
    await recordConsentStatusChanged(trx, { id, clientId: row.client_id, status: 'authorised' }, now);
    if (row.kind === 'account-access') {
      await recordEvent(trx, AccountAccessLinkedAccountsChangedV1, {
        aggregateId: id,
        tppClientId: row.client_id,
        payload: { consentId: id, accountIds: [...authorisation.accountIds] },
        occurredAt: now,
      });
    }
    return toConsent(row, now);
  });
}

/** awaiting-authorisation → rejected (the PSU said no, or the authorisation failed). */
export async function rejectConsent(db: Db, id: string, now: Date = new Date()): Promise<Consent> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('consents')
      .set({ status: 'rejected', status_updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'awaiting-authorisation')
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError(ConsentErrors.NOT_AWAITING_AUTHORISATION);
    await recordConsentStatusChanged(trx, { id, clientId: row.client_id, status: 'rejected' }, now);
    return toConsent(row, now);
  });
}

/**
 * Revocation by the TPP (DELETE) or the PSU (dashboard); effective on the TPP's next call at every
 * instance: once committed, every cached copy of the consent is retired (`forgetConsent`). The
 * copies are retired before the change too, so that a shared cache that cannot be reached fails
 * the revocation before anything changed (the caller answers 503 and may simply retry), rather
 * than after a commit whose cached copies could not be retired.
 */
export async function revokeConsent(db: Db, cache: Cache, id: string, by: 'TPP' | 'PSU', now: Date = new Date()): Promise<Consent> {
  await forgetConsent(cache, id);
  const revoked = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('consents')
      .set({ status: 'revoked', status_updated_at: now, revoked_by: by })
      .where('id', '=', id)
      // An expired consent may still be revoked, as when its expiry was only computed on reading.
      .where('status', 'in', ['awaiting-authorisation', 'authorised', 'expired'])
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError(ConsentErrors.ALREADY_REVOKED);
    await recordConsentStatusChanged(trx, { id, clientId: row.client_id, status: 'revoked', by }, now);
    return toConsent(row, now);
  });
  await forgetConsent(cache, id);
  return revoked;
}

/** The consent authorised under an authorisation-server grant (token → consent). */
export async function findConsentByGrant(db: Db, grantId: string, now: Date = new Date()): Promise<Consent | undefined> {
  const row = await db.selectFrom('consents').selectAll().where('grant_id', '=', grantId).executeTakeFirst();
  return row && toConsent(row, now);
}

/** Consents a PSU has authorised and not revoked, newest first (the access dashboard). */
export async function listConsentsOfPsu(db: Db, psuId: string, now: Date = new Date()): Promise<Consent[]> {
  const rows = await db
    .selectFrom('consents')
    .selectAll()
    .where('psu_id', '=', psuId)
    .where('status', '=', 'authorised')
    .orderBy(sql`authorised_at`, 'desc')
    .execute();
  return rows.map((row) => toConsent(row, now));
}
