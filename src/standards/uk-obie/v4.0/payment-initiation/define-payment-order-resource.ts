import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { Consent } from '../../../../modules/consents/index.ts';
import type { PaymentConsentKind } from '../../../../modules/payments/index.ts';
import type { AnySchema } from 'ajv';
import { readWired, withWire, type ObReceivedRequest, type ObWireResource, type Wired } from '../_wire/wire-store.ts';
import { authorisedConsentOf, verifiedTokenOf } from '../security/security-context.ts';
import { PISP, pisLink, type PisResource, type PisRouteContext } from './pis-route-context.ts';

/**
 * A `POST` of a payment order as its resource handles it: the authorised consent with its OB
 * request body, the validated body, its headers, and the body as the submitting use case takes it.
 */
export interface PaymentOrderRequest<B> {
  readonly consent: Wired<Consent>;
  readonly body: B;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly received: ObReceivedRequest;
}

/** A request naming one payment order in its path. */
export type OrderIdRequest = FastifyRequest<{ Params: Record<string, string> }>;

/** What a resource's further routes under `…/{id}` share with its own: the path, the TPP's security and the order's read. */
export interface OrderRoutes<O> {
  /** `…/{id}` in Fastify's syntax (`/open-banking/v4.0/pisp/file-payments/:FilePaymentId`). */
  readonly path: string;
  readonly options: RouteShorthandOptions;
  read(request: OrderIdRequest): Promise<O>;
}

/** One OB v4.0 payment-order resource (`/domestic-payments`, `/file-payments`, `/domestic-vrps`, …). */
export interface PaymentOrderResource<B, O extends { readonly id: string }> {
  /** The collection under the PIS base path, e.g. `/domestic-payments`. */
  readonly path: string;
  /** The path parameter naming one order (OB v4.0 `components.parameters`, e.g. `DomesticPaymentId`). */
  readonly idParam: string;
  /** What the order's body is kept as (`ObWireStore`). */
  readonly wire: Exclude<ObWireResource, 'consent'>;
  /** The consent kind a submission is made under (its PSU token's consent). */
  readonly kind: PaymentConsentKind;
  /** The schema of the `POST` body (`obRequestSchema`). */
  readonly body: AnySchema;
  /** Submits the order under its consent (the `POST`, signed and idempotent); the response body (`self` links an order). */
  submit(context: PisRouteContext, request: PaymentOrderRequest<B>, self: (id: string) => string): Promise<unknown>;
  /** The order of the TPP (`GET …/{id}` and its sub-resources). */
  read(context: PisRouteContext, id: string, clientId: string): Promise<O>;
  /** The response body of `GET …/{id}`. */
  respond(context: PisRouteContext, order: Wired<O>, self: string): unknown;
  /** The response body of `GET …/{id}/payment-details`. */
  details(context: PisRouteContext, order: Wired<O>, self: string): unknown;
  /** Routes of the resource beyond these (a report file), under `…/{id}` of `orders`. */
  routes?(app: FastifyInstance, context: PisRouteContext, orders: OrderRoutes<Wired<O>>): void;
}

/**
 * The OB v4.0 path parameter of a payment order: at most 40 characters (the id of every
 * payment-order response schema).
 */
function orderIdParams(idParam: string) {
  return { type: 'object', required: [idParam], properties: { [idParam]: { type: 'string', minLength: 1, maxLength: 40 } } } as const;
}

/**
 * The routes of one payment-order resource from its descriptor: `POST` (the PSU's token for the
 * authorised consent, signed request, idempotent; 201), `GET …/{id}` and `GET …/{id}/payment-details`
 * (the TPP's client-credentials token), and the resource's own further routes.
 */
export function definePaymentOrderResource<B, O extends { readonly id: string }>(resource: PaymentOrderResource<B, O>): PisResource {
  const path = `${PISP}${resource.path}`;
  const params = orderIdParams(resource.idParam);
  return {
    register(app, context) {
      const self = (id: string) => pisLink(context, `${resource.path}/${encodeURIComponent(id)}`);
      const read = (request: OrderIdRequest) => {
        const id = request.params[resource.idParam] as string;
        return readWired(context.wire, resource.wire, id, resource.read(context, id, verifiedTokenOf(request).clientId));
      };

      app.post<{ Body: B }>(
        path,
        // A repeat of the submission that consumed the consent must reach its idempotency check.
        { onRequest: context.psuSecurity({ acceptConsumed: true, kind: resource.kind }), preValidation: context.signedRequest, schema: { body: resource.body } },
        async (request, reply) => {
          const consent = await withWire(context.wire, 'consent', authorisedConsentOf(request));
          const received = context.wire.received(resource.wire, request.body, context.now());
          const body = await resource.submit(context, { consent, body: request.body as B, headers: request.headers, received }, self);
          return reply.status(201).send(body);
        },
      );

      const orders: OrderRoutes<Wired<O>> = { path: `${path}/:${resource.idParam}`, options: { onRequest: context.tppSecurity, schema: { params } }, read };
      app.get<{ Params: Record<string, string> }>(orders.path, orders.options, async (request) => {
        const order = await read(request);
        return resource.respond(context, order, self(order.id));
      });
      app.get<{ Params: Record<string, string> }>(`${orders.path}/payment-details`, orders.options, async (request) => {
        const order = await read(request);
        return resource.details(context, order, `${self(order.id)}/payment-details`);
      });

      resource.routes?.(app, context, orders);
    },
  };
}
