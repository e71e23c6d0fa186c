import type { PsuAuthorisationApi } from '../modules/psu-authorisation/index.ts';
import type { PsuIdentityApi } from '../modules/psu-identity/index.ts';

import { audited, type RecordStep } from './audited-step.ts';

export type { RecordStep };

/** The PSU identity API with every authentication step recorded in the audit trail. */
export function auditedPsuIdentity(api: PsuIdentityApi, record: RecordStep): PsuIdentityApi {
  return {
    ...api,
    authenticatePassword: (credentials, attempt) =>
      audited(record, 'psu-authorisation', { action: 'password', details: { username: credentials.username, sourceIp: attempt.source } }, () => api.authenticatePassword(credentials, attempt), (psu) => ({ psuId: psu.psuId })),
    verifyOneTimeCode: (psuId, code, attempt) => audited(record, 'psu-authorisation', { action: 'one-time-code', psuId, details: { sourceIp: attempt.source } }, () => api.verifyOneTimeCode(psuId, code, attempt)),
    finishPasskeyAuthentication: (psuId, response, context) => audited(record, 'psu-authorisation', { action: 'passkey', psuId }, () => api.finishPasskeyAuthentication(psuId, response, context)),
    finishPasskeyRegistration: (psuId, response) => audited(record, 'psu-authorisation', { action: 'passkey-registration', psuId }, () => api.finishPasskeyRegistration(psuId, response)),
  };
}

/** The PSU authorisation API with each consent decision and SCA step recorded in the audit trail. */
export function auditedPsuAuthorisation(api: PsuAuthorisationApi, record: RecordStep): PsuAuthorisationApi {
  return {
    ...api,
    approveConsent: (request, approval, createGrant, now) =>
      audited(
        record,
        'psu-authorisation',
        { action: 'approve-consent', clientId: request.clientId, consentId: request.consentId, psuId: approval.psuId, details: { accountIds: approval.accountIds, withOneTimeCode: approval.oneTimeCode !== undefined } },
        () => api.approveConsent(request, approval, createGrant, now),
      ),
    denyConsent: (request, partyId, now) => audited(record, 'psu-authorisation', { action: 'deny-consent', clientId: request.clientId, consentId: request.consentId, details: { partyId } }, () => api.denyConsent(request, partyId, now)),
    advanceSca: (id, status, psuId, now) =>
      audited(record, 'psu-authorisation', { action: `sca-${status}`, psuId: psuId ?? undefined, details: { authorisationId: id } }, () => api.advanceSca(id, status, psuId, now), (sca) => ({ clientId: sca.clientId, consentId: sca.consentId })),
    confirmCancellation: (scaId, psuId, now) =>
      audited(record, 'psu-authorisation', { action: 'confirm-cancellation', psuId, details: { authorisationId: scaId } }, () => api.confirmCancellation(scaId, psuId, now), (sca) => ({ clientId: sca.clientId, consentId: sca.consentId })),
    approveSigningBasket: (scaId, approval, now) =>
      audited(
        record,
        'psu-authorisation',
        { action: 'approve-signing-basket', psuId: approval.psuId, details: { authorisationId: scaId, withOneTimeCode: approval.oneTimeCode !== undefined } },
        () => api.approveSigningBasket(scaId, approval, now),
        (sca) => ({ clientId: sca.clientId, details: { authorisationId: scaId, basketId: sca.consentId } }),
      ),
    denySigningBasket: (scaId, now) => audited(record, 'psu-authorisation', { action: 'deny-signing-basket', details: { authorisationId: scaId } }, () => api.denySigningBasket(scaId, now)),
  };
}
