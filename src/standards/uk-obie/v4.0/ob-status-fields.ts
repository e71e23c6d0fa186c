import type { Consent, ConsentStatus } from '../../../modules/consents/index.ts';
import { obDateTime } from './ob-date-time.ts';

/**
 * OB v4.0 `OBInternalConsentStatus1Code` of a payment consent (domestic, scheduled, standing-order,
 * international): AWAU, AUTH, RJCT and COND (consumed: a payment was made under it). The enum has
 * no revoked or expired state for payment consents; a consent that can no longer be used reads as
 * RJCT. Only file payment consents await an upload (their enum has AWUP for it).
 */
export const PAYMENT_CONSENT_STATUS_CODES = {
  'awaiting-upload': 'AWAU',
  'awaiting-authorisation': 'AWAU',
  authorised: 'AUTH',
  rejected: 'RJCT',
  consumed: 'COND',
  revoked: 'RJCT',
  expired: 'RJCT',
} as const satisfies Record<ConsentStatus, string>;

/**
 * OB v4.0 status of a consent that is never consumed (account access, OBReadConsentResponse1;
 * funds confirmation, OBFundsConfirmationConsentResponse1): AWAU, AUTH, RJCT, CANC (revoked by the
 * PSU or the TPP), EXPD. Were one marked consumed, it is no longer usable, which EXPD says best.
 */
export const STANDING_CONSENT_STATUS_CODES = {
  'awaiting-upload': 'AWAU',
  'awaiting-authorisation': 'AWAU',
  authorised: 'AUTH',
  rejected: 'RJCT',
  revoked: 'CANC',
  expired: 'EXPD',
  consumed: 'EXPD',
} as const satisfies Record<ConsentStatus, string>;

/**
 * The status fields of an OB consent or payment-order response: the consent, the creation, the
 * status in the resource's own enum `codes`, and when it last changed.
 */
export function obStatusFields<K extends string, S extends string>(
  consentId: string,
  resource: { readonly createdAt: Date; readonly status: K; readonly statusUpdatedAt: Date },
  codes: Readonly<Record<K, S>>,
) {
  return {
    ConsentId: consentId,
    CreationDateTime: obDateTime(resource.createdAt),
    Status: codes[resource.status],
    StatusUpdateDateTime: obDateTime(resource.statusUpdatedAt),
  };
}

/** The fields every OB consent response's Data starts with (`obStatusFields` of the consent). */
export function obConsentStatus<S extends string>(consent: Consent, codes: Readonly<Record<ConsentStatus, S>>) {
  return obStatusFields(consent.id, consent, codes);
}
