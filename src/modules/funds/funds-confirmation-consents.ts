import type { Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { getConsentForClient, revokeConsentOfClient, type Consent } from '../consents/index.ts';

/** A funds-confirmation consent as its CBPII sees it: another TPP's, an unknown one or another kind is CONSENT.NOT_FOUND. */
export function getFundsConfirmationConsentForClient(db: Db, id: string, clientId: string, now: Date = new Date()): Promise<Consent> {
  return getConsentForClient(db, id, clientId, 'funds-confirmation', now);
}

/** The CBPII withdraws its consent (OB v4.0 `DELETE /funds-confirmation-consents/{ConsentId}`); effective on the next call everywhere. */
export function revokeFundsConfirmationConsent(db: Db, cache: Cache, id: string, clientId: string, now: Date = new Date()): Promise<Consent> {
  return revokeConsentOfClient(db, cache, id, clientId, 'funds-confirmation', now);
}
