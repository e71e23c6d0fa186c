import type { DomesticPayment, PaymentStatus } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obDebtorAndRefund, obPaymentOrderStatus } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';
import type { Wired } from '../_wire/wire-store.ts';

/** `POST /domestic-scheduled-payments` body: the official OBWriteDomesticScheduled2. */
export const submitDomesticScheduledPaymentBody = obRequestSchema('payment-initiation', 'OBWriteDomesticScheduled2');

/** OBWriteDomesticScheduled2 as the schema guarantees it after validation. */
export type ObWriteDomesticScheduled2 = PisSchema<'OBWriteDomesticScheduled2'>;

/**
 * OB v4.0 `OBWriteDomesticScheduledResponse5` Data.Status: PDNG until the execution date, then
 * ACSP while a payment leaving the bank awaits the scheme's settlement, ACSC, or RJCT. The enum of
 * this resource has no ACCC: a payment credited to an account of this bank reads ACSC here
 * (payment-details, whose enum has it, says ACCC).
 */
const STATUS_CODES = {
  Pending: 'PDNG',
  AcceptedSettlementInProcess: 'ACSP',
  AcceptedSettlementCompleted: 'ACSC',
  AcceptedCreditSettlementCompleted: 'ACSC',
  Rejected: 'RJCT',
} as const satisfies Record<PaymentStatus, string>;

/** `OBWriteDomesticScheduledResponse5`: the submission's Initiation echoed, the status, debtor and refund account. */
export function toObDomesticScheduledResponse(payment: Wired<DomesticPayment>, self: string) {
  const { Data } = payment.wire as unknown as ObWriteDomesticScheduled2;
  return {
    Data: {
      DomesticScheduledPaymentId: payment.id,
      ...obPaymentOrderStatus(payment, STATUS_CODES),
      ExpectedExecutionDateTime: obDateTime(new Date(Data.Initiation.RequestedExecutionDateTime)),
      Initiation: Data.Initiation,
      ...obDebtorAndRefund(payment.debtor, payment.shareRefundAccount),
    },
    Links: { Self: self },
    Meta: {},
  };
}
