import type { FastifyReply } from 'fastify';
import { PSU_PAGE_CSP } from './layout.ts';

/** Sends a PSU page with its strict CSP and no caching (pages show personal data). */
export function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.status(status).header('content-security-policy', PSU_PAGE_CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** Sends a PSU page with 429 and `Retry-After` (RFC 6585 §4): the attempt was throttled, not evaluated. */
export function sendThrottledPage(reply: FastifyReply, body: string, throttled: { readonly retryAfterSeconds: number }): FastifyReply {
  return sendPage(reply.header('retry-after', String(throttled.retryAfterSeconds)), body, 429);
}
