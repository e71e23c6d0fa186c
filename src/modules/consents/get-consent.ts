import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { ConsentErrors } from './consents.errors.ts';
import type { Consent, ConsentKind } from './consent-model.ts';
import { toConsent } from './consent-row.ts';

/** Any consent by id (PSU-side flows, after the PSU's own checks). */
export async function findConsent(db: Db, id: string, now: Date = new Date()): Promise<Consent | undefined> {
  const row = await db.selectFrom('consents').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toConsent(row, now);
}

/**
 * A consent as seen by a TPP: only its own, of the expected kind. Anything else — unknown id,
 * another TPP's consent, another kind — is the same NOT_FOUND, so ids leak nothing.
 */
export async function getConsentForClient(db: Db, id: string, clientId: string, kind: ConsentKind, now: Date = new Date()): Promise<Consent> {
  const consent = await findConsent(db, id, now);
  if (!consent || consent.clientId !== clientId || consent.kind !== kind) throw new AppError(ConsentErrors.NOT_FOUND);
  return consent;
}
