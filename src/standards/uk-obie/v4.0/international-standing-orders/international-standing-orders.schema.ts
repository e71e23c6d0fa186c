import type { DomesticStandingOrder } from '../../../../modules/payments/index.ts';
import { obStandingOrderStatus } from '../domestic-standing-orders/domestic-standing-orders.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obDebtorAndRefund } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';
import type { Wired } from '../_wire/wire-store.ts';

/** `POST /international-standing-orders` body: the official OBWriteInternationalStandingOrder4 (closed to unknown fields). */
export const submitInternationalStandingOrderBody = obRequestSchema('payment-initiation', 'OBWriteInternationalStandingOrder4');

/** OBWriteInternationalStandingOrder4 as the schema guarantees it after validation. */
export type ObWriteInternationalStandingOrder4 = PisSchema<'OBWriteInternationalStandingOrder4'>;

/**
 * `OBWriteInternationalStandingOrderResponse7`: the submission's Initiation echoed, the status (as
 * a domestic order's: PDNG, then INCO or INFA with the first instalment), debtor and refund
 * account. The resource has no exchange rate: each instalment's is its own, at its execution.
 */
export function toObInternationalStandingOrderResponse(order: Wired<DomesticStandingOrder>, self: string) {
  const { Data } = order.wire as unknown as ObWriteInternationalStandingOrder4;
  return {
    Data: {
      InternationalStandingOrderId: order.id,
      ...obStandingOrderStatus(order),
      Initiation: Data.Initiation,
      ...obDebtorAndRefund(order.debtor, order.shareRefundAccount),
    },
    Links: { Self: self },
    Meta: {},
  };
}
