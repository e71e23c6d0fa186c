import type { ExchangeRateTerms } from '../../../../core/fx/index.ts';
import type { DomesticPayment } from '../../../../modules/payments/index.ts';
import { obPaymentStatusCode } from '../_wire/ob-payment-status.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obExchangeRateInformation } from '../payment-initiation/ob-international-wire.ts';
import { obPaymentOrderStatus, obPaymentStatusDetails, obRefund, type ObPaymentOrderSubmission } from '../payment-initiation/ob-payment-order-wire.ts';
import { obDebtorAccount } from '../payment-initiation/ob-payment-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';

/** `POST /domestic-payments` body: the official OBWriteDomestic2 (closed to unknown fields). */
export const submitDomesticPaymentBody = obRequestSchema('payment-initiation', 'OBWriteDomestic2');

/** OBWriteDomestic2 as the schema guarantees it after validation. */
export type ObWriteDomestic2 = PisSchema<'OBWriteDomestic2'>;

/**
 * `OBWriteDomesticResponse5` / `OBWriteInternationalResponse5` (under `idField`): the submission's
 * Initiation echoed exactly, the status of the payment order (with the reason of a rejection), the
 * rate applied to an international payment (`ExchangeRateInformation`), the debtor account the PSU
 * paid from, and the refund account (the debtor's) when the consent asked for it (`ReadRefundAccount: Yes`).
 */
export function toObPaymentResponse(idField: 'DomesticPaymentId' | 'InternationalPaymentId', payment: DomesticPayment, self: string, exchangeRate?: ExchangeRateTerms) {
  const { Data } = payment.request as unknown as ObPaymentOrderSubmission<unknown>;
  const debtor = payment.debtor ? obDebtorAccount(payment.debtor) : undefined;
  return {
    Data: {
      [idField]: payment.id,
      ...obPaymentOrderStatus(payment, obPaymentStatusCode),
      ...obRefund(debtor, payment.shareRefundAccount),
      ...obExchangeRateInformation(exchangeRate),
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
  return {
    Data: { PaymentStatus: obPaymentStatusDetails(payment, Data.Initiation.LocalInstrument) },
    Links: { Self: self },
    Meta: {},
  };
}
