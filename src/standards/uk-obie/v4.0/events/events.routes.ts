import type { FastifyInstance } from 'fastify';
import { verifiedTokenOf } from '../security/security-context.ts';
import { EVENTS_BASE, type EventsRouteContext } from '../event-notifications/events-route-context.ts';
import { obEventNotificationClaims } from '../event-notifications/security-event-token.ts';
import { eventPollingBody, pollRequestOf, type ObEventPolling1 } from './events.schema.ts';

/**
 * OB v4.0 aggregated polling, `POST /events` (RFC 8936): the TPP acknowledges what it processed
 * (`ack`, `setErrs`) and receives up to `maxEvents` of its waiting notifications as signed SETs
 * keyed by `jti`, with `moreAvailable`. A long poll (`returnImmediately` false, the default) ends
 * early when the TPP goes away.
 */
export async function eventsRoutes(app: FastifyInstance, context: EventsRouteContext): Promise<void> {
  app.post<{ Body: ObEventPolling1 }>(`${EVENTS_BASE}/events`, { onRequest: context.tppSecurity, schema: { body: eventPollingBody } }, async (request) => {
    const clientId = verifiedTokenOf(request).clientId;
    const gone = new AbortController();
    request.raw.once('close', () => gone.abort());
    const { notifications, moreAvailable } = await context.events.poll(clientId, pollRequestOf(request.body), gone.signal);
    const now = context.now();
    const sets = await Promise.all(notifications.map(async (notification) => [notification.id, await context.setSigner.sign(obEventNotificationClaims(notification, { issuer: context.issuer, publicUrl: context.publicUrl, now }))] as const));
    return { moreAvailable, sets: Object.fromEntries(sets) };
  });
}
