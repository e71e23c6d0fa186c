import type { Consent } from '../../../../modules/consents/index.ts';
import type { DomesticPayment, DomesticPaymentSubmission, DomesticScheduledPaymentSubmission, PaymentAccount, PaymentStatusReason } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obConsentMatch } from '../_wire/ob-payment-instruction.ts';
import { obPaymentStatusCode } from '../_wire/ob-payment-status.ts';
import { obConsentStatus, PAYMENT_CONSENT_STATUS_CODES } from '../ob-status-fields.ts';
import { idempotencyKeyOf, obDebtorAccount } from './ob-payment-wire.ts';

/**
 * A payment consent request as the facade stored it (`OBWriteDomesticConsent4`,
 * `OBWriteDomesticScheduledConsent4`, `OBWriteDomesticStandingOrderConsent5`, …); the consents of
 * one payment have no `Permission`.
 */
export interface ObPaymentOrderConsentRequest<I> {
  readonly Data: {
    readonly Permission?: 'Create';
    readonly ReadRefundAccount?: 'Yes' | 'No';
    readonly Initiation: I;
    readonly Authorisation?: Record<string, unknown>;
    readonly SCASupportData?: Record<string, unknown>;
  };
  readonly Risk: Record<string, unknown>;
}

export function orderConsentRequestOf<I>(consent: Consent): ObPaymentOrderConsentRequest<I> {
  return consent.request as unknown as ObPaymentOrderConsentRequest<I>;
}

/** An OB v4.0 PIS submission (`OBWriteDomestic2`, `OBWriteInternationalScheduled3`, …) as received. */
export interface ObPaymentOrderSubmission<I> {
  readonly Data: { readonly ConsentId: string; readonly Initiation: I };
  readonly Risk: Record<string, unknown>;
}

/**
 * A PIS submission under its consent, as every payment-order submission route reads it: the
 * consent it names, its Initiation and Risk beside the consented ones (OB v4.0: "the Initiation and
 * Risk sections of the [payment] match the corresponding Initiation and Risk sections of the
 * [payment]-consent"), the body kept as received, its idempotency key and the consent's
 * ReadRefundAccount. Also the consent's request, for what a kind takes from it besides.
 */
export function orderSubmissionOf<I>(
  consent: Consent,
  request: { readonly body: ObPaymentOrderSubmission<I>; readonly headers: Record<string, string | string[] | undefined> },
): { submission: DomesticPaymentSubmission; consented: ObPaymentOrderConsentRequest<I> } {
  const consented = orderConsentRequestOf<I>(consent);
  const { body } = request;
  return {
    consented,
    submission: {
      consent,
      consentId: body.Data.ConsentId,
      match: obConsentMatch({ Initiation: body.Data.Initiation, Risk: body.Risk }, { Initiation: consented.Data.Initiation, Risk: consented.Risk }),
      request: body as unknown as Record<string, unknown>,
      idempotencyKey: idempotencyKeyOf(request.headers),
      shareRefundAccount: consented.Data.ReadRefundAccount === 'Yes',
    },
  };
}

/**
 * A scheduled payment's submission (domestic or international, `orderSubmissionOf`), due at the
 * `RequestedExecutionDateTime` the PSU consented to.
 */
export function scheduledSubmissionOf(
  consent: Consent,
  request: { readonly body: ObPaymentOrderSubmission<{ readonly RequestedExecutionDateTime: string }>; readonly headers: Record<string, string | string[] | undefined> },
): DomesticScheduledPaymentSubmission {
  const { submission, consented } = orderSubmissionOf(consent, request);
  return { ...submission, requestedExecutionAt: new Date(consented.Data.Initiation.RequestedExecutionDateTime) };
}

/**
 * `OBWriteDomesticConsentResponse5`, `OBWriteDomesticScheduledConsentResponse5`,
 * `OBWriteDomesticStandingOrderConsentResponse6`, …: the request's Data (Permission,
 * ReadRefundAccount, Initiation, Authorisation, SCASupportData) and Risk echoed exactly as sent, the
 * status, the resource's `extra` fields, and the debtor account once the PSU has chosen it.
 */
export function toObPaymentOrderConsentResponse(consent: Consent, debtor: PaymentAccount | null, self: string, extra: Record<string, unknown> = {}) {
  const { Data, Risk } = orderConsentRequestOf<Record<string, unknown>>(consent);
  return {
    Data: {
      ...obConsentStatus(consent, PAYMENT_CONSENT_STATUS_CODES),
      ...(Data.Permission ? { Permission: Data.Permission } : {}),
      ...(Data.ReadRefundAccount ? { ReadRefundAccount: Data.ReadRefundAccount } : {}),
      ...extra,
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

/**
 * The status fields every payment-order response carries after its id (`OBWriteDomesticResponse5`,
 * `OBWriteDomesticScheduledResponse5`, `OBDomesticVRPResponse`): consent, creation, the status in
 * the resource's own enum (`codeOf`: `obPaymentStatusCode`, or the variant of an enum that lacks a
 * code), when it last changed, and the reason of a rejection.
 */
export function obPaymentOrderStatus<S extends string>(payment: DomesticPayment, codeOf: (payment: DomesticPayment) => S) {
  return {
    ConsentId: payment.consentId,
    CreationDateTime: obDateTime(payment.createdAt),
    Status: codeOf(payment),
    StatusUpdateDateTime: obDateTime(payment.statusUpdatedAt),
    ...obStatusReason(payment.statusReason),
  };
}

/**
 * `PaymentStatus` of a payment-details response (`OBWritePaymentDetailsResponse1`,
 * `OBDomesticVRPDetails`): the payment's one transaction and its status detail.
 */
export function obPaymentStatusDetails(payment: DomesticPayment, localInstrument: string | undefined) {
  const status = obPaymentStatusCode(payment);
  return [
    {
      PaymentTransactionId: payment.id,
      Status: status,
      StatusUpdateDateTime: obDateTime(payment.statusUpdatedAt),
      StatusDetail: {
        ...(localInstrument ? { LocalInstrument: localInstrument } : {}),
        Status: status,
        ...(payment.statusReason ? { StatusReason: payment.statusReason.code, StatusReasonDescription: payment.statusReason.description.slice(0, 256) } : {}),
      },
    },
  ];
}

/** `StatusReason` of a payment-order response (`OBStatusReason`). */
export function obStatusReason(reason: PaymentStatusReason | null) {
  return reason ? { StatusReason: [{ StatusReasonCode: reason.code, StatusReasonDescription: reason.description.slice(0, 500) }] } : {};
}

/** `Refund` when the consent asked for it (`ReadRefundAccount: Yes`): the debtor's account, when it has a name. */
export function obRefund(debtor: ReturnType<typeof obDebtorAccount> | undefined, shareRefundAccount: boolean) {
  return shareRefundAccount && debtor?.Name ? { Refund: { Account: { SchemeName: debtor.SchemeName, Identification: debtor.Identification, Name: debtor.Name } } } : {};
}

/** `Debtor` and, when the consent asked for it (`ReadRefundAccount: Yes`), `Refund` (the debtor's account). */
export function obDebtorAndRefund(debtorAccount: PaymentAccount | null, shareRefundAccount: boolean) {
  const debtor = debtorAccount ? obDebtorAccount(debtorAccount) : undefined;
  return {
    ...obRefund(debtor, shareRefundAccount),
    ...(debtor ? { Debtor: debtor } : {}),
  };
}
