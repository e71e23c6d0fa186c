import type { ExchangeRateTerms } from '../../../../core/fx/index.ts';
import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obExchangeRateInformation } from '../payment-initiation/ob-international-wire.ts';
import { obDebtorAndRefund, obPaymentOrderStatus, PAYMENT_STATUS_CODES } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';
import type { Wired } from '../_wire/wire-store.ts';

/** `POST /international-scheduled-payments` body: the official OBWriteInternationalScheduled3 (closed to unknown fields). */
export const submitInternationalScheduledPaymentBody = obRequestSchema('payment-initiation', 'OBWriteInternationalScheduled3');

/** OBWriteInternationalScheduled3 as the schema guarantees it after validation. */
export type ObWriteInternationalScheduled3 = PisSchema<'OBWriteInternationalScheduled3'>;

/**
 * `OBWriteInternationalScheduledResponse6`: the submission's Initiation echoed exactly, the status
 * (PDNG until the execution date; this resource's enum has ACCC), the expected execution date, the
 * rate (`ExchangeRateInformation`: the consent's until the payment executes, then the one applied),
 * the debtor account and, when the consent asked for it, the refund account.
 */
export function toObInternationalScheduledResponse(payment: Wired<DomesticPayment>, exchangeRate: ExchangeRateTerms | undefined, self: string) {
  const { Data } = payment.wire as unknown as ObWriteInternationalScheduled3;
  return {
    Data: {
      InternationalScheduledPaymentId: payment.id,
      ...obPaymentOrderStatus(payment, PAYMENT_STATUS_CODES),
      ExpectedExecutionDateTime: obDateTime(new Date(Data.Initiation.RequestedExecutionDateTime)),
      ...obExchangeRateInformation(exchangeRate),
      Initiation: Data.Initiation,
      ...obDebtorAndRefund(payment.debtor, payment.shareRefundAccount),
    },
    Links: { Self: self },
    Meta: {},
  };
}
