import type { DomesticStandingOrder, StandingOrderInstalment, StandingOrderStatus } from '../../../../modules/payments/index.ts';
import { obPaymentStatusCode } from '../_wire/ob-payment-status.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obStatusFields } from '../ob-status-fields.ts';
import { obDebtorAndRefund, obStatusReason, type ObPaymentOrderSubmission } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';
import type { Wired } from '../_wire/wire-store.ts';

/** `POST /domestic-standing-orders` body: the official OBWriteDomesticStandingOrder3. */
export const submitDomesticStandingOrderBody = obRequestSchema('payment-initiation', 'OBWriteDomesticStandingOrder3');

/** OBWriteDomesticStandingOrder3 as the schema guarantees it after validation. */
export type ObWriteDomesticStandingOrder3 = PisSchema<'OBWriteDomesticStandingOrder3'>;

/**
 * OB v4.0 `OBWriteDomesticStandingOrderResponse6` Data.Status (`ExternalPaymentTransactionStatus1Code`
 * of this resource): PDNG until the first instalment has run, then INCO (initiation completed: the
 * order is set up and paying) or INFA (initiation failed: the first payment was refused, the order
 * stopped), or CANC once the order is stopped (cancelled) before its end. Each instalment's own
 * outcome is in payment-details.
 */
const STATUS_CODES = {
  pending: 'PDNG',
  'set-up': 'INCO',
  failed: 'INFA',
  cancelled: 'CANC',
} as const satisfies Record<StandingOrderStatus, string>;

/**
 * The status fields a standing-order response carries after its id (`OBWriteDomesticStandingOrderResponse6`,
 * `OBWriteInternationalStandingOrderResponse7`): consent, creation, status and the reason of a failure.
 */
export function obStandingOrderStatus(order: DomesticStandingOrder) {
  return { ...obStatusFields(order.consentId, order, STATUS_CODES), ...obStatusReason(order.statusReason) };
}

/**
 * `OBWriteDomesticStandingOrderResponse6` / `OBWriteInternationalStandingOrderResponse7` (under
 * `idField`): the submission's Initiation echoed, the status, debtor and refund account. An
 * international order has no exchange rate: each instalment's is its own, at its execution.
 */
export function toObStandingOrderResponse(idField: 'DomesticStandingOrderId' | 'InternationalStandingOrderId', order: Wired<DomesticStandingOrder>, self: string) {
  const { Data } = order.wire as unknown as ObPaymentOrderSubmission<unknown>;
  return {
    Data: {
      [idField]: order.id,
      ...obStandingOrderStatus(order),
      Initiation: Data.Initiation,
      ...obDebtorAndRefund(order.debtor, order.shareRefundAccount),
    },
    Links: { Self: self },
    Meta: {},
  };
}

/** `OBWritePaymentDetailsResponse1` of a standing order (its enum has ACCC): one entry per instalment run so far, in order. */
export function toObStandingOrderPaymentDetailsResponse(instalments: readonly StandingOrderInstalment[], self: string) {
  return {
    Data: {
      PaymentStatus: instalments.map(({ payment }) => {
        const status = obPaymentStatusCode(payment);
        return {
          PaymentTransactionId: payment.id,
          Status: status,
          StatusUpdateDateTime: obDateTime(payment.statusUpdatedAt),
          StatusDetail: {
            Status: status,
            ...(payment.statusReason ? { StatusReason: payment.statusReason.code, StatusReasonDescription: payment.statusReason.description.slice(0, 256) } : {}),
          },
        };
      }),
    },
    Links: { Self: self },
    Meta: {},
  };
}
