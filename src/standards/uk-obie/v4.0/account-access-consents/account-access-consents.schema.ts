import { accessScopeOf, type Consent } from '../../../../modules/consents/index.ts';
import { obPermissionsOf } from '../_wire/ob-access-scope.ts';
import { obConsentStatus, STANDING_CONSENT_STATUS_CODES } from '../ob-status-fields.ts';
import { obDateTime } from '../ob-date-time.ts';
import { obRequestSchema } from '../ob-request-validation.ts';

export { obDateTime } from '../ob-date-time.ts';

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
 * Data.Status): those of a consent that is never consumed (`STANDING_CONSENT_STATUS_CODES`).
 */

/**
 * `Data.Permissions` exactly as the TPP sent them (order, and a cluster asked for at both levels),
 * from the request the facade kept; the scope's own codes for a consent staged otherwise.
 */
function echoedPermissions(consent: Consent): string[] {
  const sent = (consent.request as Partial<ObReadConsent1>).Data?.Permissions;
  return Array.isArray(sent) ? [...sent] : obPermissionsOf(accessScopeOf(consent));
}

/** The neutral consent as OBReadConsentResponse1; `self` is the consent's URL (Links.Self). */
export function toObReadConsentResponse(consent: Consent, self: string): ObReadConsentResponse1 {
  return {
    Data: {
      ...obConsentStatus(consent, STANDING_CONSENT_STATUS_CODES),
      Permissions: echoedPermissions(consent),
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
