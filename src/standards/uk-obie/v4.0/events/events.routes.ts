import type { FastifyInstance } from 'fastify';
import { verifiedTokenOf } from '../security/security-context.ts';
import { EVENTS_BASE, type EventsRouteContext } from '../event-notifications/events-route-context.ts';
import { obEventNotificationClaims } from '../event-notifications/security-event-token.ts';
import { eventPollingBody, pollRequestOf, type ObEventPolling1 } from './events.schema.ts';

/**
 * OB v4.0 aggregated polling, `POST /events` (RFC 8936): the TPP acknowledges what it processed
 * (`ack`, `setErrs`) and receives up to `maxEvents` of its waiting notifications as signed SETs
 * keyed by `jti`, with `moreAvailable`. A long poll (`returnImmediately` false, the default) ends
 * early when the TPP goes away or the server shuts down.
 */
export async function eventsRoutes(app: FastifyInstance, context: EventsRouteContext): Promise<void> {
  // Long polls under way end (answering what they have) when the server shuts down, not after their wait.
  const waiting = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const controller of waiting) controller.abort();
  });
  app.post<{ Body: ObEventPolling1 }>(`${EVENTS_BASE}/events`, { onRequest: context.tppSecurity, schema: { body: eventPollingBody } }, async (request, reply) => {
    const clientId = verifiedTokenOf(request).clientId;
    const gone = new AbortController();
    // The response closing before it was sent: the TPP went away (the request's own 'close' only says its body was read).
    reply.raw.once('close', () => gone.abort());
    waiting.add(gone);
    const { notifications, moreAvailable } = await context.events.poll(clientId, pollRequestOf(request.body), gone.signal).finally(() => waiting.delete(gone));
    const now = context.now();
    const sets = await Promise.all(notifications.map(async (notification) => [notification.id, await context.setSigner.sign(obEventNotificationClaims(notification, { issuer: context.issuer, publicUrl: context.publicUrl, now }))] as const));
    return { moreAvailable, sets: Object.fromEntries(sets) };
  });
}
