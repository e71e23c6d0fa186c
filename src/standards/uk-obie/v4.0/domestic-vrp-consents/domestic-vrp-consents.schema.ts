import type { Consent, ConsentStatus } from '../../../../modules/consents/index.ts';
import type { PaymentAccount, VrpControlTerms } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obConsentStatus, STANDING_CONSENT_STATUS_CODES } from '../ob-status-fields.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import type { VrpSchema } from '../ob-wire-types.ts';
import { obDebtorAccount } from '../payment-initiation/ob-payment-wire.ts';

/** `POST /domestic-vrp-consents` body: the official OBDomesticVRPConsentRequest (closed to unknown fields). */
export const createDomesticVrpConsentBody = obRequestSchema('vrp', 'OBDomesticVRPConsentRequest');
/** `POST /domestic-vrp-consents/{ConsentId}/funds-confirmation` body: OBVRPFundsConfirmationRequest. */
export const vrpFundsConfirmationBody = obRequestSchema('vrp', 'OBVRPFundsConfirmationRequest');

/** OBDomesticVRPConsentRequest as the schema guarantees it after validation. */
export type ObDomesticVrpConsentRequest = VrpSchema<'OBDomesticVRPConsentRequest'>;

/** OB v4.0 `OBDomesticVRPInitiation` as validated (all optional). */
export type ObVrpInitiation = ObDomesticVrpConsentRequest['Data']['Initiation'];

/** OB v4.0 `OBDomesticVRPControlParameters` as validated. */
export type ObVrpControlParameters = ObDomesticVrpConsentRequest['Data']['ControlParameters'];

/** OBVRPFundsConfirmationRequest as the schema guarantees it after validation. */
export type ObVrpFundsConfirmationRequest = VrpSchema<'OBVRPFundsConfirmationRequest'>;

/** The consent's request as this facade stored it. */
export function vrpConsentRequestOf(consent: Consent): ObDomesticVrpConsentRequest {
  return consent.request as unknown as ObDomesticVrpConsentRequest;
}

/** The neutral control terms of OB `ControlParameters`. */
export function vrpControlTermsOf(controls: ObVrpControlParameters): VrpControlTerms {
  return {
    validFrom: controls.ValidFromDateTime,
    validTo: controls.ValidToDateTime,
    maximumIndividual: { decimal: controls.MaximumIndividualAmount.Amount, currency: controls.MaximumIndividualAmount.Currency },
    periodicLimits: controls.PeriodicLimits.map((l) => ({ periodType: l.PeriodType, alignment: l.PeriodAlignment, decimal: l.Amount, currency: l.Currency })),
  };
}

/** The creditor's reference of a remittance: the structured creditor reference, else the first unstructured line. */
export function referenceOf(remittance: ObVrpInitiation['RemittanceInformation']): string | null {
  return remittance?.Structured?.find((s) => s.CreditorReferenceInformation?.Reference)?.CreditorReferenceInformation?.Reference ?? remittance?.Unstructured?.[0] ?? null;
}

/** OB `OBInternalAccountIdentification4Code` of the schemes the bank pays to and from, in the neutral names (others pass through and are refused by the module). */
export function neutralScheme(schemeName: string): string {
  return ({ 'UK.OBIE.SortCodeAccountNumber': 'SortCodeAccountNumber', 'UK.OBIE.IBAN': 'IBAN' } as Record<string, string>)[schemeName] ?? schemeName;
}

/**
 * OB v4.0 `OBDomesticVRPConsentResponse` Data.Status: AWAU, AUTH, RJCT, CANC (revoked by the PSU
 * or the TPP) and EXPD (past ValidToDateTime). A VRP consent is never consumed (were one marked so, it reads AUTH).
 */
const STATUS_CODES = { ...STANDING_CONSENT_STATUS_CODES, consumed: 'AUTH' } as const satisfies Record<ConsentStatus, string>;

/** OB `OBCashAccountDebtorWithName` of an account (the name is required; an account without one is left out). */
export function obDebtorWithName(account: PaymentAccount | null): { SchemeName: string; Identification: string; Name: string } | undefined {
  const ob = account ? obDebtorAccount(account) : undefined;
  return ob?.Name ? { SchemeName: ob.SchemeName, Identification: ob.Identification, Name: ob.Name.slice(0, 70) } : undefined;
}

/** `OBDomesticVRPConsentResponse`: the request echoed exactly, the status, and the PSU's account once chosen. */
export function toObVrpConsentResponse(consent: Consent, debtor: PaymentAccount | null, self: string) {
  const { Data, Risk } = vrpConsentRequestOf(consent);
  const debtorAccount = obDebtorWithName(debtor);
  return {
    Data: {
      ...obConsentStatus(consent, STATUS_CODES),
      ...(Data.ReadRefundAccount ? { ReadRefundAccount: Data.ReadRefundAccount } : {}),
      ControlParameters: Data.ControlParameters,
      Initiation: Data.Initiation,
      ...(debtorAccount ? { DebtorAccount: debtorAccount } : {}),
    },
    Risk,
    Links: { Self: self },
    Meta: {},
  };
}

/** `OBVRPFundsConfirmationResponse`. */
export function toObVrpFundsConfirmationResponse(request: ObVrpFundsConfirmationRequest, result: { id: string; fundsAvailable: boolean; checkedAt: Date }) {
  return {
    Data: {
      FundsConfirmationId: result.id,
      ConsentId: request.Data.ConsentId,
      CreationDateTime: obDateTime(result.checkedAt),
      ...(request.Data.Reference ? { Reference: request.Data.Reference } : {}),
      FundsAvailableResult: { FundsAvailableDateTime: obDateTime(result.checkedAt), FundsAvailable: result.fundsAvailable ? 'Available' : 'NotAvailable' },
      InstructedAmount: request.Data.InstructedAmount,
    },
  };
}
