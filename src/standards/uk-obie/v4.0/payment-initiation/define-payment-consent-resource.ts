import type { FastifyInstance } from 'fastify';
import type { ExchangeRateTerms } from '../../../../core/fx/index.ts';
import type { Consent } from '../../../../modules/consents/index.ts';
import { PaymentErrors, type DomesticPaymentConsentView, type FundsConfirmation, type PaymentConsentKind } from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { consentIdParams, type ConsentIdParams } from '../consent-id-params.ts';
import { toObFundsConfirmationResponse } from '../domestic-payment-consents/domestic-payment-consents.schema.ts';
import type { AnySchema } from 'ajv';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import { readWired, withWire, type ObReceivedRequest, type Wired } from '../_wire/wire-store.ts';
import { idempotencyKeyOf } from './ob-payment-wire.ts';
import { PISP, pisLink, type PisResource, type PisRouteContext } from './pis-route-context.ts';

/** A payment consent as a response shows it: the consent, the debtor once chosen, the rate of an international one. */
export interface PaymentConsentView extends DomesticPaymentConsentView {
  readonly exchangeRate?: ExchangeRateTerms | undefined;
}

/** A consent view with the consent's OB request body, as the response echoes it. */
export interface EchoedConsentView extends PaymentConsentView {
  readonly consent: Wired<Consent>;
}

/**
 * What every staging use case is given besides the consent's terms: the TPP, its idempotency key,
 * the body's hash and the keeping of the body (`ObWireStore.received`).
 */
export interface StageConsentInput extends ObReceivedRequest {
  readonly clientId: string;
  readonly idempotencyKey: string | string[] | undefined;
}

/** One OB v4.0 payment consent resource (`/domestic-payment-consents`, `/file-payment-consents`, …). */
export interface PaymentConsentResource<B> {
  /** The collection under the PIS base path, e.g. `/domestic-payment-consents`. */
  readonly path: string;
  readonly kind: PaymentConsentKind;
  /** The schema of the `POST` body (`obRequestSchema`). */
  readonly body: AnySchema;
  /** Stages the consent from the validated body (the `POST`, signed and idempotent). */
  stage(context: PisRouteContext, input: StageConsentInput, body: B): Promise<PaymentConsentView>;
  /** The consent as its TPP reads it (`GET …/{ConsentId}`); a consent of `kind` by default. */
  read?(context: PisRouteContext, consentId: string, clientId: string): Promise<PaymentConsentView>;
  /** The response body of the consent (`OBWrite…ConsentResponse`). */
  respond(view: EchoedConsentView, self: string): unknown;
  /** `GET …/{ConsentId}/funds-confirmation` with the PSU's token, where the resource has it. */
  confirmFunds?(context: PisRouteContext, consent: Consent): Promise<FundsConfirmation>;
  /** Routes of the resource beyond these (a file upload, a revocation). */
  routes?(app: FastifyInstance, context: PisRouteContext, self: (id: string) => string): void;
}

/**
 * The routes of one payment consent resource from its descriptor: `POST` (the TPP's
 * client-credentials token, signed request, idempotent; 201), `GET …/{ConsentId}` (the TPP's token),
 * `GET …/{ConsentId}/funds-confirmation` (the PSU's token for that very consent) where the resource
 * confirms funds, and the resource's own further routes.
 */
export function definePaymentConsentResource<B>(resource: PaymentConsentResource<B>): PisResource {
  const path = `${PISP}${resource.path}`;
  const read = resource.read ?? ((context, consentId, clientId) => context.payments.getPaymentConsent(consentId, clientId, resource.kind, context.now()));
  return {
    register(app, context) {
      const self = (id: string) => pisLink(context, `${resource.path}/${encodeURIComponent(id)}`);
      // The view with its consent's body as received: the first request's, for a repeat too.
      const echoed = async (view: PaymentConsentView): Promise<EchoedConsentView> => ({ ...view, consent: await withWire(context.wire, 'consent', view.consent) });

      app.post<{ Body: B }>(path, { onRequest: context.tppSecurity, preValidation: context.signedRequest, schema: { body: resource.body } }, async (request, reply) => {
        const received = context.wire.received('consent', request.body, context.now());
        const input = { clientId: verifiedTokenOf(request).clientId, idempotencyKey: idempotencyKeyOf(request.headers), ...received };
        const view = await echoed(await resource.stage(context, input, request.body as B));
        return reply.status(201).send(resource.respond(view, self(view.consent.id)));
      });

      app.get<{ Params: ConsentIdParams }>(`${path}/:ConsentId`, { onRequest: context.tppSecurity, schema: { params: consentIdParams } }, async (request) => {
        const { ConsentId } = request.params;
        const { wire, ...view } = await readWired(context.wire, 'consent', ConsentId, read(context, ConsentId, verifiedTokenOf(request).clientId));
        return resource.respond({ ...view, consent: { ...view.consent, wire } }, self(view.consent.id));
      });

      const { confirmFunds } = resource;
      if (confirmFunds) {
        app.get<{ Params: ConsentIdParams }>(
          `${path}/:ConsentId/funds-confirmation`,
          { onRequest: context.psuSecurity({ kind: resource.kind }), schema: { params: consentIdParams } },
          async (request) => {
            const consent = authorisedConsentOf(request);
            // The PSU's token is for one consent: it confirms funds for that one only.
            if (request.params.ConsentId !== consent.id) throw new AppError(PaymentErrors.CONSENT_NOT_OF_TOKEN, { details: [{ path: 'ConsentId' }] });
            return toObFundsConfirmationResponse(await confirmFunds(context, consent), `${self(consent.id)}/funds-confirmation`);
          },
        );
      }

      resource.routes?.(app, context, self);
    },
  };
}
