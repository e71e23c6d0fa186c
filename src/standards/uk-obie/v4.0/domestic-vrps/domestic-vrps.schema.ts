import type { DomesticPayment, PaymentStatus } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obDebtorWithName, type ObAmount, type ObVrpInitiation } from '../domestic-vrp-consents/domestic-vrp-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import type { ObAccountIdentification } from '../payment-initiation/ob-payment-wire.ts';

/** `POST /domestic-vrps` body: the official OBDomesticVRPRequest (closed to unknown fields). */
export const submitDomesticVrpBody = obRequestSchema('vrp', 'OBDomesticVRPRequest');

/** OB v4.0 `components.parameters.DomesticVRPId`; at most 40 characters (OBDomesticVRPResponse). */
export const domesticVrpIdParams = {
  type: 'object',
  required: ['DomesticVRPId'],
  properties: { DomesticVRPId: { type: 'string', minLength: 1, maxLength: 40 } },
} as const;

export interface DomesticVrpIdParams {
  readonly DomesticVRPId: string;
}

/** OB v4.0 `OBDomesticVRPInstruction` as validated. */
export interface ObVrpInstruction {
  readonly InstructionIdentification: string;
  readonly EndToEndIdentification: string;
  readonly LocalInstrument?: string;
  readonly InstructedAmount: ObAmount;
  readonly CreditorAccount: ObAccountIdentification & { readonly Name: string };
  readonly RemittanceInformation?: ObVrpInitiation['RemittanceInformation'];
  readonly [field: string]: unknown;
}

/** OBDomesticVRPRequest as the schema guarantees it after validation. */
export interface ObDomesticVrpRequest {
  readonly Data: {
    readonly ConsentId: string;
    readonly PSUAuthenticationMethod: string;
    readonly PSUInteractionType?: string;
    readonly VRPType: string;
    readonly Initiation: ObVrpInitiation;
    readonly Instruction: ObVrpInstruction;
  };
  readonly Risk: Record<string, unknown>;
}

/** OB `ExternalPaymentTransactionStatus1Code` of the neutral payment statuses (as for domestic payments). */
const STATUS_CODES = {
  Pending: 'PDNG',
  AcceptedSettlementInProcess: 'ACSP',
  AcceptedSettlementCompleted: 'ACSC',
  AcceptedCreditSettlementCompleted: 'ACCC',
  Rejected: 'RJCT',
} as const satisfies Record<PaymentStatus, string>;

/**
 * `OBDomesticVRPResponse`: Initiation, Instruction and Risk echoed as submitted, the status (with
 * the reason of a rejection), the PSU's account, and the refund account (the same) when the consent
 * asked for it.
 */
export function toObDomesticVrpResponse(payment: DomesticPayment, self: string) {
  const { Data, Risk } = payment.request as unknown as ObDomesticVrpRequest;
  const debtor = obDebtorWithName(payment.debtor);
  return {
    Data: {
      DomesticVRPId: payment.id,
      ConsentId: payment.consentId,
      CreationDateTime: obDateTime(payment.createdAt),
      Status: STATUS_CODES[payment.status],
      StatusUpdateDateTime: obDateTime(payment.statusUpdatedAt),
      ...(payment.statusReason
        ? { StatusReason: [{ StatusReasonCode: payment.statusReason.code, StatusReasonDescription: payment.statusReason.description.slice(0, 500) }] }
        : {}),
      ...(payment.shareRefundAccount && debtor ? { Refund: debtor } : {}),
      Initiation: Data.Initiation,
      Instruction: Data.Instruction,
      ...(debtor ? { DebtorAccount: debtor } : {}),
    },
    Risk,
    Links: { Self: self },
    Meta: {},
  };
}

/** `OBDomesticVRPDetails`: the VRP's one transaction and its status detail. */
export function toObVrpDetailsResponse(payment: DomesticPayment) {
  const { Data } = payment.request as unknown as ObDomesticVrpRequest;
  const status = STATUS_CODES[payment.status];
  return {
    Data: {
      PaymentStatus: [
        {
          PaymentTransactionId: payment.id,
          Status: status,
          StatusUpdateDateTime: obDateTime(payment.statusUpdatedAt),
          StatusDetail: {
            ...(Data.Instruction.LocalInstrument ? { LocalInstrument: Data.Instruction.LocalInstrument } : {}),
            Status: status,
            ...(payment.statusReason ? { StatusReason: payment.statusReason.code, StatusReasonDescription: payment.statusReason.description.slice(0, 256) } : {}),
          },
        },
      ],
    },
  };
}
