import type { Consent, ConsentStatus } from '../../../../modules/consents/index.ts';
import type { PaymentAccount, PaymentFileTerms } from '../../../../modules/payments/index.ts';
import { FilePaymentErrors } from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { obConsentStatus, PAYMENT_CONSENT_STATUS_CODES } from '../ob-status-fields.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obDebtorAccount, schemeOf } from '../payment-initiation/ob-payment-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /file-payment-consents` body: the official OBWriteFileConsent3 (closed to unknown fields). */
export const createFilePaymentConsentBody = obRequestSchema('payment-initiation', 'OBWriteFileConsent3');


/** OBWriteFileConsent3 as the schema guarantees it after validation. */
export type ObWriteFileConsent3 = PisSchema<'OBWriteFileConsent3'>;

/** The Initiation of a file payment (consent and submission alike), as validated. */
export type ObFileInitiation = ObWriteFileConsent3['Data']['Initiation'];

/**
 * OB v4.0 `OBWriteFileConsentResponse4` Data.Status: AWUP until the file is uploaded, then AWAU,
 * AUTH, RJCT and COND (consumed by its file payment); revoked or expired read RJCT.
 */
const STATUS_CODES = { ...PAYMENT_CONSENT_STATUS_CODES, 'awaiting-upload': 'AWUP' } as const satisfies Record<ConsentStatus, string>;

/** The consent's request as this facade stored it: the OBWriteFileConsent3 the TPP sent. */
export function fileConsentRequestOf(consent: Consent): ObWriteFileConsent3 {
  return consent.request as unknown as ObWriteFileConsent3;
}

/**
 * The neutral terms of a file Initiation. NumberOfTransactions is digits (the official pattern is
 * not anchored, so it is checked here); ControlSum, a JSON number, is taken as the decimal it reads.
 */
export function fileTermsOf(initiation: ObFileInitiation): PaymentFileTerms {
  const count = initiation.NumberOfTransactions;
  if (count !== undefined && !/^[0-9]{1,15}$/.test(count)) {
    throw new AppError(FilePaymentErrors.NUMBER_OF_TRANSACTIONS_INVALID, { details: [{ path: 'Data.Initiation.NumberOfTransactions' }] });
  }
  const debtor = initiation.DebtorAccount;
  return {
    fileType: initiation.FileType,
    fileHash: initiation.FileHash,
    fileReference: initiation.FileReference ?? null,
    numberOfTransactions: count === undefined ? undefined : Number(count),
    controlSum: initiation.ControlSum === undefined ? undefined : String(initiation.ControlSum),
    requestedExecutionAt: initiation.RequestedExecutionDateTime ? new Date(initiation.RequestedExecutionDateTime) : undefined,
    debtor: debtor ? { scheme: schemeOf(debtor, 'Data.Initiation.DebtorAccount'), identification: debtor.Identification } : undefined,
  };
}

/**
 * `OBWriteFileConsentResponse4`: the consent's Initiation, Authorisation and SCASupportData echoed
 * exactly as sent, its status, and the debtor account once the PSU has chosen it.
 */
export function toObFileConsentResponse(consent: Consent, debtor: PaymentAccount | null, self: string) {
  const { Data } = fileConsentRequestOf(consent);
  return {
    Data: {
      ...obConsentStatus(consent, STATUS_CODES),
      Initiation: Data.Initiation,
      ...(Data.Authorisation ? { Authorisation: Data.Authorisation } : {}),
      ...(Data.SCASupportData ? { SCASupportData: Data.SCASupportData } : {}),
      ...(debtor ? { Debtor: obDebtorAccount(debtor) } : {}),
    },
    Links: { Self: self },
    Meta: {},
  };
}
