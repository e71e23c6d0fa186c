import type { Consent } from '../../modules/consents/index.ts';

/**
 * Why a consent is no longer active, in the PSU's words (the dashboard's history); undefined while
 * it is. A consent revoked by the TPP (its DELETE) reads as cancelled by the provider.
 */
export function endReasonText(consent: Pick<Consent, 'status' | 'revokedBy'>): string | undefined {
  switch (consent.status) {
    case 'revoked':
      return consent.revokedBy === 'TPP' ? 'Cancelled by the provider' : 'Stopped by you';
    case 'expired':
      return 'Expired';
    case 'consumed':
      return 'Payment made';
    default:
      return undefined;
  }
}
