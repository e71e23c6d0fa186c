import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageStateStore } from './psu-pages-options.ts';

export interface PsuSiteSession {
  readonly id: string;
  /** Set once both factors passed. */
  psuId?: string | undefined;
  /** Set after the password, until the second factor. */
  pendingPsuId?: string | undefined;
  readonly csrf: string;
}

export const PSU_SESSION_COOKIE = 'portico_psu';
// Idle timeout of the PSU's online-banking session (PSD2 RTS Art. 4(3)(d): at most 5 minutes of inactivity).
export const PSU_SESSION_IDLE_SECONDS = 5 * 60;

const key = (id: string) => `psu-site-session:${id}`;

/**
 * The PSU's own session on the bank's pages (access dashboard, security settings), separate from
 * authorisation journeys. Held in the shared cache, so any instance serves the next request.
 */
export async function loadSession(cache: PageStateStore, request: FastifyRequest): Promise<PsuSiteSession | undefined> {
  const id = request.cookies?.[PSU_SESSION_COOKIE];
  if (!id || !/^[\w-]{43}$/.test(id)) return undefined;
  const stored = await cache.get(key(id));
  return stored ? { ...(JSON.parse(stored) as Omit<PsuSiteSession, 'id'>), id } : undefined;
}

export async function saveSession(cache: PageStateStore, reply: FastifyReply, session: PsuSiteSession): Promise<void> {
  const { id, ...data } = session;
  await cache.set(key(id), JSON.stringify(data), PSU_SESSION_IDLE_SECONDS);
  reply.setCookie(PSU_SESSION_COOKIE, id, { path: '/psu', httpOnly: true, secure: true, sameSite: 'lax', maxAge: PSU_SESSION_IDLE_SECONDS });
}

export function newSession(): PsuSiteSession {
  return { id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url') };
}

export async function endSession(cache: PageStateStore, reply: FastifyReply, session: PsuSiteSession | undefined): Promise<void> {
  if (session) await cache.del(key(session.id));
  reply.clearCookie(PSU_SESSION_COOKIE, { path: '/psu' });
}

/** Double-submit check of the anti-forgery token (form field or header). */
export function csrfValid(session: PsuSiteSession, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length !== session.csrf.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(session.csrf));
}
