import type { FastifyReply } from 'fastify';
import { PSU_PAGE_CSP } from './layout.ts';

/** Sends a PSU page with its strict CSP and no caching (pages show personal data). */
export function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.status(status).header('content-security-policy', PSU_PAGE_CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}
