import type { AnySchema } from 'ajv';
import type { Consent } from '../../../../modules/consents/index.ts';
import type { PaymentReach } from '../../../../modules/payments/index.ts';
import { definePaymentConsentResource, type StageConsentInput } from '../payment-initiation/define-payment-consent-resource.ts';
import { toObPaymentOrderConsentResponse } from '../payment-initiation/ob-payment-order-wire.ts';
import type { PisResource, PisRouteContext } from '../payment-initiation/pis-route-context.ts';

/** What a standing-order consent resource (domestic or international) has of its own. */
export interface StandingOrderConsentResource<I, T> {
  readonly path: string;
  readonly reach: PaymentReach;
  /** The schema of the `POST` body (`obRequestSchema`). */
  readonly body: AnySchema;
  /** The order's terms from the body's Initiation, in neutral form. */
  termsOf(initiation: I): T;
  /** Stages the consent to those terms. */
  stage(context: PisRouteContext, input: StageConsentInput & { readonly terms: T }): Promise<Consent>;
}

/** OB v4.0 `/…-standing-order-consents`: `POST` and `GET …/{ConsentId}`; the debtor is the PSU's to choose. */
export function defineStandingOrderConsentResource<B extends { readonly Data: { readonly Initiation: I } }, I, T>(resource: StandingOrderConsentResource<I, T>): PisResource {
  return definePaymentConsentResource<B>({
    path: resource.path,
    kind: `${resource.reach}-standing-order`,
    body: resource.body,
    async stage(context, input, body) {
      const terms = { ...input, terms: resource.termsOf(body.Data.Initiation) };
      return { consent: await resource.stage(context, terms), debtor: null };
    },
    respond: (view, self) => toObPaymentOrderConsentResponse(view.consent, view.debtor, self),
  });
}
