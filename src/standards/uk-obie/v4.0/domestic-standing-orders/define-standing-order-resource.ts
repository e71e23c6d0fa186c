import type { AnySchema } from 'ajv';
import type { DomesticPaymentSubmission, DomesticStandingOrder, PaymentReach, SubmittedDomesticStandingOrder } from '../../../../modules/payments/index.ts';
import { definePaymentOrderResource } from '../payment-initiation/define-payment-order-resource.ts';
import { orderSubmissionOf, type ObPaymentOrderSubmission } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisResource, PisRouteContext } from '../payment-initiation/pis-route-context.ts';
import { toObStandingOrderPaymentDetailsResponse, toObStandingOrderResponse } from './domestic-standing-orders.schema.ts';
import { wiredAsReceived } from '../_wire/wire-store.ts';

/** What a standing-order resource (domestic or international) has of its own. */
export interface StandingOrderResource<I, T> {
  readonly path: string;
  /** The path parameter naming one order (OB v4.0 `components.parameters`). */
  readonly idParam: string;
  /** The field of the response that names the order. */
  readonly idField: 'DomesticStandingOrderId' | 'InternationalStandingOrderId';
  readonly reach: PaymentReach;
  /** The schema of the `POST` body (`obRequestSchema`). */
  readonly body: AnySchema;
  /** The order's terms from the consent's Initiation, in neutral form. */
  termsOf(initiation: I): T;
  /** Submits the order the PSU authorised under its consent. */
  submit(context: PisRouteContext, submission: DomesticPaymentSubmission & { readonly consentedOrder: T }): Promise<SubmittedDomesticStandingOrder>;
}

/**
 * OB v4.0 `/…-standing-orders`: `POST` (the submission's Initiation and Risk must match the consent's,
 * `orderSubmissionOf`), `GET …/{id}` and `GET …/payment-details` (one entry per instalment run so far).
 */
export function defineStandingOrderResource<B extends ObPaymentOrderSubmission<I>, I, T>(resource: StandingOrderResource<I, T>): PisResource {
  const { idField } = resource;
  return definePaymentOrderResource<B, DomesticStandingOrder>({
    path: resource.path,
    idParam: resource.idParam,
    kind: `${resource.reach}-standing-order`,
    wire: 'standing-order',
    body: resource.body,
    async submit(context, request, self) {
      const { submission, consented } = orderSubmissionOf<I>(request.consent, request);
      const { order } = await resource.submit(context, { ...submission, consentedOrder: resource.termsOf(consented.Data.Initiation) });
      return toObStandingOrderResponse(idField, wiredAsReceived(request.received, order), self(order.id));
    },
    read: (context, id, clientId) => context.payments.getStandingOrder(id, clientId, resource.reach),
    respond: (_context, order, self) => toObStandingOrderResponse(idField, order, self),
    details: async (context, order, self) => toObStandingOrderPaymentDetailsResponse(await context.payments.listStandingOrderInstalments(order.id), self),
  });
}
