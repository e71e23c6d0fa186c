import type { ExchangeRateTerms } from '../../../../core/fx/index.ts';
import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obExchangeRateInformation } from '../payment-initiation/ob-international-wire.ts';
import { obPaymentOrderStatus, obRefund, PAYMENT_STATUS_CODES } from '../payment-initiation/ob-payment-order-wire.ts';
import { obDebtorAccount } from '../payment-initiation/ob-payment-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';
import type { Wired } from '../_wire/wire-store.ts';

/** `POST /international-payments` body: the official OBWriteInternational3 (closed to unknown fields). */
export const submitInternationalPaymentBody = obRequestSchema('payment-initiation', 'OBWriteInternational3');

/** OBWriteInternational3 as the schema guarantees it after validation. */
export type ObWriteInternational3 = PisSchema<'OBWriteInternational3'>;

/**
 * `OBWriteInternationalResponse5`: the submission's Initiation echoed exactly, the status, the rate
 * applied (`ExchangeRateInformation`), the debtor account and, when the consent asked for it, the
 * refund account.
 */
export function toObInternationalResponse(payment: Wired<DomesticPayment>, exchangeRate: ExchangeRateTerms | undefined, self: string) {
  const { Data } = payment.wire as unknown as ObWriteInternational3;
  const debtor = payment.debtor ? obDebtorAccount(payment.debtor) : undefined;
  return {
    Data: {
      InternationalPaymentId: payment.id,
      ...obPaymentOrderStatus(payment, PAYMENT_STATUS_CODES),
      ...obRefund(debtor, payment.shareRefundAccount),
      ...obExchangeRateInformation(exchangeRate),
      Initiation: Data.Initiation,
      ...(debtor ? { Debtor: debtor } : {}),
    },
    Links: { Self: self },
    Meta: {},
  };
}
