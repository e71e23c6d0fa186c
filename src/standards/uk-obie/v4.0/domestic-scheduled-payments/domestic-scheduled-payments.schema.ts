import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { obPaymentStatusCodeWithoutCredit } from '../_wire/ob-payment-status.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obDebtorAndRefund, obPaymentOrderStatus } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /domestic-scheduled-payments` body: the official OBWriteDomesticScheduled2. */
export const submitDomesticScheduledPaymentBody = obRequestSchema('payment-initiation', 'OBWriteDomesticScheduled2');

/** OBWriteDomesticScheduled2 as the schema guarantees it after validation. */
export type ObWriteDomesticScheduled2 = PisSchema<'OBWriteDomesticScheduled2'>;

/**
 * `OBWriteDomesticScheduledResponse5`: the submission's Initiation echoed, the status, debtor and
 * refund account. Data.Status is PDNG until the execution date, then ACSP while a payment leaving
 * the bank awaits the scheme's settlement, ACSC, or RJCT. The enum of this resource has no ACCC: a
 * payment credited to an account of this bank reads ACSC here (payment-details, whose enum has it,
 * says ACCC).
 */
export function toObDomesticScheduledResponse(payment: DomesticPayment, self: string) {
  const { Data } = payment.request as unknown as ObWriteDomesticScheduled2;
  return {
    Data: {
      DomesticScheduledPaymentId: payment.id,
      ...obPaymentOrderStatus(payment, obPaymentStatusCodeWithoutCredit),
      ExpectedExecutionDateTime: obDateTime(new Date(Data.Initiation.RequestedExecutionDateTime)),
      Initiation: Data.Initiation,
      ...obDebtorAndRefund(payment.debtor, payment.shareRefundAccount),
    },
    Links: { Self: self },
    Meta: {},
  };
}
