import type { Consent, ConsentStatus } from '../../../../modules/consents/index.ts';
import type { FundsConfirmation, PaymentAccount } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obDebtorAccount, type ObDomesticInitiation } from '../payment-initiation/ob-payment-wire.ts';

/** `POST /domestic-payment-consents` body: the official OBWriteDomesticConsent4 (closed to unknown fields). */
export const createDomesticPaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteDomesticConsent4');


/** OBWriteDomesticConsent4 as the schema guarantees it after validation. */
export interface ObWriteDomesticConsent4 {
  readonly Data: {
    readonly ReadRefundAccount?: 'Yes' | 'No';
    readonly Initiation: ObDomesticInitiation;
    readonly Authorisation?: Record<string, unknown>;
    readonly SCASupportData?: Record<string, unknown>;
  };
  readonly Risk: Record<string, unknown>;
}

type ObPaymentConsentStatus = 'AWAU' | 'RJCT' | 'AUTH' | 'COND';

/**
 * OB v4.0 `OBWriteDomesticConsentResponse5` Data.Status (`OBInternalConsentStatus1Code`): AWAU,
 * AUTH, RJCT and COND (consumed: a payment was made under it). The enum has no revoked or expired
 * state for payment consents; a consent that can no longer be used reads as RJCT.
 */
const STATUS_CODES: Record<ConsentStatus, ObPaymentConsentStatus> = {
  // Only file payment consents await an upload.
  AwaitingUpload: 'AWAU',
  AwaitingAuthorisation: 'AWAU',
  Authorised: 'AUTH',
  Rejected: 'RJCT',
  Consumed: 'COND',
  Revoked: 'RJCT',
  Expired: 'RJCT',
};

/** The consent's request as this facade stored it: the OBWriteDomesticConsent4 the TPP sent. */
export function consentRequestOf(consent: Consent): ObWriteDomesticConsent4 {
  return consent.request as unknown as ObWriteDomesticConsent4;
}

/**
 * `OBWriteDomesticConsentResponse5`: the consent's Initiation, Risk, Authorisation, SCASupportData
 * and ReadRefundAccount echoed exactly as sent, its status, and the debtor account once the PSU has
 * chosen it.
 */
export function toObDomesticConsentResponse(consent: Consent, debtor: PaymentAccount | null, self: string) {
  const { Data, Risk } = consentRequestOf(consent);
  return {
    Data: {
      ConsentId: consent.id,
      CreationDateTime: obDateTime(consent.createdAt),
      Status: STATUS_CODES[consent.status],
      StatusUpdateDateTime: obDateTime(consent.statusUpdatedAt),
      ...(Data.ReadRefundAccount ? { ReadRefundAccount: Data.ReadRefundAccount } : {}),
      Initiation: Data.Initiation,
      ...(Data.Authorisation ? { Authorisation: Data.Authorisation } : {}),
      ...(Data.SCASupportData ? { SCASupportData: Data.SCASupportData } : {}),
      ...(debtor ? { Debtor: obDebtorAccount(debtor) } : {}),
    },
    Risk,
    Links: { Self: self },
    Meta: {},
  };
}

/** `OBWriteFundsConfirmationResponse1`. */
export function toObFundsConfirmationResponse(confirmation: FundsConfirmation, self: string) {
  return {
    Data: { FundsAvailableResult: { FundsAvailableDateTime: obDateTime(confirmation.checkedAt), FundsAvailable: confirmation.fundsAvailable } },
    Links: { Self: self },
    Meta: {},
  };
}
