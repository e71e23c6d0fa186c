import type { Consent, ConsentStatus } from '../../../../modules/consents/index.ts';
import { obRequestSchema } from '../ob-request-validation.ts';

/** `POST /account-access-consents` body: the official OBReadConsent1 (closed to unknown fields). */
export const createAccountAccessConsentBody = obRequestSchema('account-info', 'OBReadConsent1');

export { consentIdParams } from '../consent-id-params.ts';
export type { ConsentIdParams } from '../consent-id-params.ts';

/** OBReadConsent1 as the schema guarantees it after validation. */
export interface ObReadConsent1 {
  readonly Data: {
    readonly Permissions: string[];
    readonly ExpirationDateTime?: string;
    readonly TransactionFromDateTime?: string;
    readonly TransactionToDateTime?: string;
  };
  readonly Risk: Record<string, never>;
}

type ObConsentStatus = 'AWAU' | 'RJCT' | 'AUTH' | 'EXPD' | 'CANC';

/** OBReadConsentResponse1. */
export interface ObReadConsentResponse1 {
  Data: {
    ConsentId: string;
    CreationDateTime: string;
    Status: ObConsentStatus;
    StatusUpdateDateTime: string;
    Permissions: string[];
    ExpirationDateTime?: string;
    TransactionFromDateTime?: string;
    TransactionToDateTime?: string;
  };
  Risk: Record<string, never>;
  Links: { Self: string };
  Meta: Record<string, never>;
}

/**
 * OB v4.0 replaced v3.1's status words with ISO 20022-style codes (OBReadConsentResponse1
 * Data.Status): AWAU, AUTH, RJCT, CANC (revoked by PSU or TPP), EXPD. Account-access consents are
 * never consumed; were one marked so, it is no longer usable, which EXPD says best.
 */
const STATUS_CODES: Record<ConsentStatus, ObConsentStatus> = {
  // Only file payment consents await an upload.
  AwaitingUpload: 'AWAU',
  AwaitingAuthorisation: 'AWAU',
  Authorised: 'AUTH',
  Rejected: 'RJCT',
  Revoked: 'CANC',
  Expired: 'EXPD',
  Consumed: 'EXPD',
};

/** OB date-times carry a timezone ("2017-04-05T10:43:07+00:00"); whole seconds unless stored finer. */
export function obDateTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z').replace(/Z$/, '+00:00');
}

/** The neutral consent as OBReadConsentResponse1; `self` is the consent's URL (Links.Self). */
export function toObReadConsentResponse(consent: Consent, self: string): ObReadConsentResponse1 {
  return {
    Data: {
      ConsentId: consent.id,
      CreationDateTime: obDateTime(consent.createdAt),
      Status: STATUS_CODES[consent.status],
      StatusUpdateDateTime: obDateTime(consent.statusUpdatedAt),
      Permissions: [...consent.permissions],
      ...(consent.expiresAt ? { ExpirationDateTime: obDateTime(consent.expiresAt) } : {}),
      ...(consent.transactionFrom ? { TransactionFromDateTime: obDateTime(consent.transactionFrom) } : {}),
      ...(consent.transactionTo ? { TransactionToDateTime: obDateTime(consent.transactionTo) } : {}),
    },
    // OBRisk2 for AIS is an empty, closed object in v4.0.
    Risk: {},
    Links: { Self: self },
    Meta: {},
  };
}
