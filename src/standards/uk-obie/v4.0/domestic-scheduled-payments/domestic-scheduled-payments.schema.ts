import type { ExchangeRateTerms } from '../../../../core/fx/index.ts';
import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { obPaymentStatusCodeWithoutCredit } from '../_wire/ob-payment-status.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obExchangeRateInformation } from '../payment-initiation/ob-international-wire.ts';
import { obDebtorAndRefund, obPaymentOrderStatus, type ObPaymentOrderSubmission } from '../payment-initiation/ob-payment-order-wire.ts';
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
/**
 * `OBWriteDomesticScheduledResponse5` / `OBWriteInternationalScheduledResponse6` (under `idField`,
 * in the resource's own status enum: `codeOf`): the submission's Initiation echoed exactly, the
 * status, the expected execution date, for an international payment the rate
 * (`ExchangeRateInformation`: the consent's until the payment executes, then the one applied), the
 * debtor account and, when the consent asked for it, the refund account.
 */
export function toObScheduledPaymentResponse<S extends string>(
  idField: 'DomesticScheduledPaymentId' | 'InternationalScheduledPaymentId',
  payment: DomesticPayment,
  codeOf: (payment: DomesticPayment) => S,
  self: string,
  exchangeRate?: ExchangeRateTerms,
) {
  const { Data } = payment.request as unknown as ObPaymentOrderSubmission<{ readonly RequestedExecutionDateTime: string }>;
  return {
    Data: {
      [idField]: payment.id,
      ...obPaymentOrderStatus(payment, codeOf),
      ExpectedExecutionDateTime: obDateTime(new Date(Data.Initiation.RequestedExecutionDateTime)),
      ...obExchangeRateInformation(exchangeRate),
      Initiation: Data.Initiation,
      ...obDebtorAndRefund(payment.debtor, payment.shareRefundAccount),
    },
    Links: { Self: self },
    Meta: {},
  };
}

/** `OBWriteDomesticScheduledResponse5`. */
export function toObDomesticScheduledResponse(payment: DomesticPayment, self: string) {
  return toObScheduledPaymentResponse('DomesticScheduledPaymentId', payment, obPaymentStatusCodeWithoutCredit, self);
}
