import type { Consent } from '../../../../modules/consents/index.ts';
import type { FundsConfirmation, PaymentAccount } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obConsentStatus, PAYMENT_CONSENT_STATUS_CODES } from '../ob-status-fields.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obDebtorAccount } from '../payment-initiation/ob-payment-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';
import type { Wired } from '../_wire/wire-store.ts';

/** `POST /domestic-payment-consents` body: the official OBWriteDomesticConsent4 (closed to unknown fields). */
export const createDomesticPaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteDomesticConsent4');


/** OBWriteDomesticConsent4 as the schema guarantees it after validation. */
export type ObWriteDomesticConsent4 = PisSchema<'OBWriteDomesticConsent4'>;

/** The consent's request as this facade stored it: the OBWriteDomesticConsent4 the TPP sent. */
export function consentRequestOf(consent: Wired<Consent>): ObWriteDomesticConsent4 {
  return consent.wire as unknown as ObWriteDomesticConsent4;
}

/**
 * `OBWriteDomesticConsentResponse5`: the consent's Initiation, Risk, Authorisation, SCASupportData
 * and ReadRefundAccount echoed exactly as sent, its status, and the debtor account once the PSU has
 * chosen it.
 */
export function toObDomesticConsentResponse(consent: Wired<Consent>, debtor: PaymentAccount | null, self: string) {
  const { Data, Risk } = consentRequestOf(consent);
  return {
    Data: {
      ...obConsentStatus(consent, PAYMENT_CONSENT_STATUS_CODES),
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
