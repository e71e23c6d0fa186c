import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { obPaymentStatusCode } from '../_wire/ob-payment-status.ts';
import { obDebtorWithName } from '../domestic-vrp-consents/domestic-vrp-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obPaymentOrderStatus, obPaymentStatusDetails } from '../payment-initiation/ob-payment-order-wire.ts';
import type { VrpSchema } from '../ob-wire-types.ts';

/** `POST /domestic-vrps` body: the official OBDomesticVRPRequest (closed to unknown fields). */
export const submitDomesticVrpBody = obRequestSchema('vrp', 'OBDomesticVRPRequest');

/** OBDomesticVRPRequest as the schema guarantees it after validation. */
export type ObDomesticVrpRequest = VrpSchema<'OBDomesticVRPRequest'>;

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
      ...obPaymentOrderStatus(payment, obPaymentStatusCode),
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
  return { Data: { PaymentStatus: obPaymentStatusDetails(payment, Data.Instruction.LocalInstrument) } };
}
