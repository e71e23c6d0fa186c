import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../../platform/errors/index.ts';
import { EventsErrors } from '../../../../modules/events/index.ts';
import { verifiedTokenOf } from '../security/security-context.ts';
import { EVENTS_BASE, eventsLink, type EventsRouteContext } from '../event-notifications/events-route-context.ts';
import {
  changeEventSubscriptionBody,
  createEventSubscriptionBody,
  eventSubscriptionIdParams,
  obEventSubscriptionData,
  subscriptionRequestOf,
  type EventSubscriptionIdParams,
  type ObEventSubscription1,
  type ObEventSubscriptionResponse1,
} from './event-subscriptions.schema.ts';

const PATH = `${EVENTS_BASE}/event-subscriptions`;

/**
 * OB v4.0 event subscriptions: `POST` and `GET /event-subscriptions`, `PUT` and `DELETE
 * /event-subscriptions/{EventSubscriptionId}`. A TPP holds one subscription (a second POST is
 * `409 U029`); it reads, changes and deletes only its own, any other id answering as unknown
 * (`400 U011`).
 */
export async function eventSubscriptionsRoutes(app: FastifyInstance, context: EventsRouteContext): Promise<void> {
  const self = (id?: string) => eventsLink(context, `/event-subscriptions${id === undefined ? '' : `/${encodeURIComponent(id)}`}`);

  app.post<{ Body: ObEventSubscription1 }>(PATH, { onRequest: context.tppSecurity, preValidation: context.signedRequest, schema: { body: createEventSubscriptionBody } }, async (request, reply) => {
    const subscription = await context.events.subscribe(verifiedTokenOf(request).clientId, subscriptionRequestOf(request.body.Data), context.now());
    return reply.status(201).send({ Data: obEventSubscriptionData(subscription), Links: { Self: self(subscription.id) }, Meta: {} });
  });

  app.get(PATH, { onRequest: context.tppSecurity }, async (request) => {
    const subscriptions = await context.events.subscriptionsOf(verifiedTokenOf(request).clientId);
    return { Data: { EventSubscription: subscriptions.map(obEventSubscriptionData) }, Links: { Self: self() }, Meta: {} };
  });

  app.put<{ Params: EventSubscriptionIdParams; Body: ObEventSubscriptionResponse1 }>(
    `${PATH}/:EventSubscriptionId`,
    { onRequest: context.tppSecurity, preValidation: context.signedRequest, schema: { params: eventSubscriptionIdParams, body: changeEventSubscriptionBody } },
    async (request) => {
      const { EventSubscriptionId } = request.params;
      const { Data } = request.body;
      if (Data.EventSubscriptionId !== EventSubscriptionId) {
        throw new AppError(EventsErrors.SUBSCRIPTION_ID_MISMATCH, { details: [{ path: 'Data.EventSubscriptionId' }] });
      }
      const subscription = await context.events.changeSubscription(verifiedTokenOf(request).clientId, EventSubscriptionId, subscriptionRequestOf(Data), context.now());
      return { Data: obEventSubscriptionData(subscription), Links: { Self: self(subscription.id) }, Meta: {} };
    },
  );

  app.delete<{ Params: EventSubscriptionIdParams }>(`${PATH}/:EventSubscriptionId`, { onRequest: context.tppSecurity, schema: { params: eventSubscriptionIdParams } }, async (request, reply) => {
    await context.events.unsubscribe(verifiedTokenOf(request).clientId, request.params.EventSubscriptionId);
    return reply.status(204).send();
  });
}
