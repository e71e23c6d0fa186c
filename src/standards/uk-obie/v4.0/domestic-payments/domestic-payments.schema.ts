import type { DomesticPayment, PaymentStatus } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obDebtorAccount, type ObDomesticInitiation } from '../payment-initiation/ob-payment-wire.ts';

/** `POST /domestic-payments` body: the official OBWriteDomestic2 (closed to unknown fields). */
export const submitDomesticPaymentBody = obRequestSchema('payment-initiation', 'OBWriteDomestic2');

/** OB v4.0 `components.parameters.DomesticPaymentId`; at most 40 characters (OBWriteDomesticResponse5). */
export const domesticPaymentIdParams = {
  type: 'object',
  required: ['DomesticPaymentId'],
  properties: { DomesticPaymentId: { type: 'string', minLength: 1, maxLength: 40 } },
} as const;

export interface DomesticPaymentIdParams {
  readonly DomesticPaymentId: string;
}

/** OBWriteDomestic2 as the schema guarantees it after validation. */
export interface ObWriteDomestic2 {
  readonly Data: { readonly ConsentId: string; readonly Initiation: ObDomesticInitiation };
  readonly Risk: Record<string, unknown>;
}

/**
 * OB v4.0 `ExternalPaymentTransactionStatus1Code` (ISO 20022) of the neutral statuses: PDNG
 * (submitted, awaiting execution), ACSP, ACSC (debited and settled to the scheme), ACCC (credited
 * to the creditor's account here: settlement on the creditor's side completed), RJCT.
 */
const STATUS_CODES = {
  Pending: 'PDNG',
  AcceptedSettlementInProcess: 'ACSP',
  AcceptedSettlementCompleted: 'ACSC',
  AcceptedCreditSettlementCompleted: 'ACCC',
  Rejected: 'RJCT',
} as const satisfies Record<PaymentStatus, string>;

function statusReason(payment: DomesticPayment) {
  return payment.statusReason
    ? { StatusReason: [{ StatusReasonCode: payment.statusReason.code, StatusReasonDescription: payment.statusReason.description.slice(0, 500) }] }
    : {};
}

/**
 * `OBWriteDomesticResponse5`: the submission's Initiation echoed exactly, the status of the
 * payment order (with the reason of a rejection), the debtor account the PSU paid from, and the
 * refund account (the debtor's) when the consent asked for it (`ReadRefundAccount: Yes`).
 */
export function toObDomesticResponse(payment: DomesticPayment, self: string) {
  const { Data } = payment.request as unknown as ObWriteDomestic2;
  const debtor = payment.debtor ? obDebtorAccount(payment.debtor) : undefined;
  return {
    Data: {
      DomesticPaymentId: payment.id,
      ConsentId: payment.consentId,
      CreationDateTime: obDateTime(payment.createdAt),
      Status: STATUS_CODES[payment.status],
      StatusUpdateDateTime: obDateTime(payment.statusUpdatedAt),
      ...statusReason(payment),
      ...(payment.shareRefundAccount && debtor?.Name ? { Refund: { Account: { SchemeName: debtor.SchemeName, Identification: debtor.Identification, Name: debtor.Name } } } : {}),
      Initiation: Data.Initiation,
      ...(debtor ? { Debtor: debtor } : {}),
    },
    Links: { Self: self },
    Meta: {},
  };
}

/** `OBWritePaymentDetailsResponse1`: the payment's one transaction and its status detail. */
export function toObPaymentDetailsResponse(payment: DomesticPayment, self: string) {
  const { Data } = payment.request as unknown as ObWriteDomestic2;
  const status = STATUS_CODES[payment.status];
  return {
    Data: {
      PaymentStatus: [
        {
          PaymentTransactionId: payment.id,
          Status: status,
          StatusUpdateDateTime: obDateTime(payment.statusUpdatedAt),
          StatusDetail: {
            ...(Data.Initiation.LocalInstrument ? { LocalInstrument: Data.Initiation.LocalInstrument } : {}),
            Status: status,
            ...(payment.statusReason ? { StatusReason: payment.statusReason.code, StatusReasonDescription: payment.statusReason.description.slice(0, 256) } : {}),
          },
        },
      ],
    },
    Links: { Self: self },
    Meta: {},
  };
}
