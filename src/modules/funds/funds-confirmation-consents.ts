import type { Consent, ConsentsApi } from '../consents/index.ts';

/** A funds-confirmation consent as its CBPII sees it: another TPP's, an unknown one or another kind is CONSENT.NOT_FOUND. */
export function getFundsConfirmationConsentForClient(consents: Pick<ConsentsApi, 'findForClient'>, id: string, clientId: string, now: Date = new Date()): Promise<Consent> {
  return consents.findForClient({ id, clientId, kind: 'funds-confirmation' }, now);
}

/** The CBPII withdraws its consent (OB v4.0 `DELETE /funds-confirmation-consents/{ConsentId}`); effective on the next call everywhere. */
export function revokeFundsConfirmationConsent(consents: Pick<ConsentsApi, 'revokeForClient'>, id: string, clientId: string, now: Date = new Date()): Promise<Consent> {
  return consents.revokeForClient({ id, clientId, kind: 'funds-confirmation' }, now);
}
