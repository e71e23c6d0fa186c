import type { Consent } from './consent-model.ts';

/** A stored consent as it reads at `now`: an authorised consent past its expiry reads as expired, from its expiry (OB AIS profile). */
export function consentAsOf(stored: Consent, now: Date = new Date()): Consent {
  const expired = stored.status === 'authorised' && stored.expiresAt !== null && stored.expiresAt <= now;
  return expired ? { ...stored, status: 'expired', statusUpdatedAt: stored.expiresAt as Date } : stored;
}
