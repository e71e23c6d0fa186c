import type { Consent } from '../../../../modules/consents/index.ts';
import type { FundsAccountIdentification } from '../../../../modules/funds/index.ts';
import { obConsentStatus, STANDING_CONSENT_STATUS_CODES } from '../ob-status-fields.ts';
import { obDateTime } from '../ob-date-time.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import type { Wired } from '../_wire/wire-store.ts';

/** `POST /funds-confirmation-consents` body: the official OBFundsConfirmationConsent1 (closed to unknown fields). */
export const createFundsConfirmationConsentBody = obRequestSchema('confirmation-funds', 'OBFundsConfirmationConsent1');

export { consentIdParams } from '../consent-id-params.ts';
export type { ConsentIdParams } from '../consent-id-params.ts';

/** The DebtorAccount of OBFundsConfirmationConsent1 as the schema guarantees it. */
export interface ObDebtorAccount {
  readonly SchemeName: string;
  readonly Identification: string;
  readonly Name?: string;
  readonly SecondaryIdentification?: string;
  readonly Proxy?: Record<string, unknown>;
}

/** OBFundsConfirmationConsent1 as the schema guarantees it after validation. */
export interface ObFundsConfirmationConsent1 {
  readonly Data: {
    readonly ExpirationDateTime?: string;
    readonly DebtorAccount: ObDebtorAccount;
  };
}

/** OB v4.0 `OBInternalAccountIdentification4Code` of the schemes the bank's accounts have; others pass through to be refused (U021). */
const SCHEMES: Readonly<Record<string, string>> = {
  'UK.OBIE.SortCodeAccountNumber': 'SortCodeAccountNumber',
  'UK.OBIE.IBAN': 'IBAN',
};

export function debtorOf(account: ObDebtorAccount): FundsAccountIdentification {
  return { scheme: SCHEMES[account.SchemeName] ?? account.SchemeName, identification: account.Identification };
}

/**
 * OBFundsConfirmationConsentResponse1: the DebtorAccount echoed exactly as the CBPII sent it; the
 * status as `OBInternalConsentStatus1Code` lists it there (AWAU, AUTH, RJCT, CANC when revoked by
 * the PSU or the CBPII, EXPD: `STANDING_CONSENT_STATUS_CODES`).
 */
export function toObFundsConfirmationConsentResponse(consent: Wired<Consent>, self: string) {
  const { Data } = consent.wire as unknown as ObFundsConfirmationConsent1;
  return {
    Data: {
      ...obConsentStatus(consent, STANDING_CONSENT_STATUS_CODES),
      ...(consent.expiresAt ? { ExpirationDateTime: obDateTime(consent.expiresAt) } : {}),
      DebtorAccount: Data.DebtorAccount,
    },
    Links: { Self: self },
    Meta: {},
  };
}
