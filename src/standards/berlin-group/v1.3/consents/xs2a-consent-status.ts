import type { Consent } from '../../../../modules/consents/index.ts';
import type { ScaStatus } from '../../../../modules/psu-authorisation/index.ts';

/** NextGenPSD2 `consentStatus` of a neutral consent. */
export function xs2aConsentStatus(consent: Pick<Consent, 'status' | 'revokedBy'>): string {
  switch (consent.status) {
    case 'awaiting-upload':
    case 'awaiting-authorisation':
      return 'received';
    case 'authorised':
      return 'valid';
    case 'rejected':
      return 'rejected';
    case 'revoked':
      return consent.revokedBy === 'TPP' ? 'terminatedByTpp' : 'revokedByPsu';
    case 'expired':
    case 'consumed':
      return 'expired';
  }
}

/** NextGenPSD2 `scaStatus` of a neutral SCA status. */
export function xs2aScaStatus(status: ScaStatus): string {
  return { received: 'received', 'psu-identified': 'psuIdentified', 'psu-authenticated': 'psuAuthenticated', finalised: 'finalised', failed: 'failed' }[status];
}
