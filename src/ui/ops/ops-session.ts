import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OpsSessionStore } from './ops-console-options.ts';

export interface OpsSession {
  readonly id: string;
  /** Set once both factors passed. */
  readonly operatorId?: string | undefined;
  /** Set after the password, until the one-time code. */
  readonly pendingOperatorId?: string | undefined;
  readonly csrf: string;
}

export const OPS_SESSION_COOKIE = 'portico_ops';
// A console session ends after 15 minutes without a request (staff consoles: short idle timeouts).
export const OPS_SESSION_IDLE_SECONDS = 15 * 60;

const key = (id: string) => `ops-session:${id}`;

/** The operator's session, held in the shared cache (any instance serves the next request). */
export async function loadOpsSession(store: OpsSessionStore, request: FastifyRequest): Promise<OpsSession | undefined> {
  const id = request.cookies?.[OPS_SESSION_COOKIE];
  if (!id || !/^[\w-]{43}$/.test(id)) return undefined;
  const stored = await store.get(key(id));
  return stored ? { ...(JSON.parse(stored) as Omit<OpsSession, 'id'>), id } : undefined;
}

/**
 * SameSite=Strict: the browser sends the cookie on no request another site starts, not even a
 * top-level link, which with the token of each form (csrfValid) makes forgery need both.
 */
export async function saveOpsSession(store: OpsSessionStore, reply: FastifyReply, session: OpsSession): Promise<void> {
  const { id, ...data } = session;
  await store.set(key(id), JSON.stringify(data), OPS_SESSION_IDLE_SECONDS);
  reply.setCookie(OPS_SESSION_COOKIE, id, { path: '/ops', httpOnly: true, secure: true, sameSite: 'strict', maxAge: OPS_SESSION_IDLE_SECONDS });
}

/** A new session id and token: at the login page, and again at each factor passed (no fixation). */
export function newOpsSession(fields: Pick<OpsSession, 'operatorId' | 'pendingOperatorId'> = {}): OpsSession {
  return { id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url'), ...fields };
}

export async function endOpsSession(store: OpsSessionStore, reply: FastifyReply, session: OpsSession | undefined): Promise<void> {
  if (session) await store.del(key(session.id));
  reply.clearCookie(OPS_SESSION_COOKIE, { path: '/ops' });
}

/** The anti-forgery token of the session, as a form field. */
export function csrfValid(session: OpsSession | undefined, presented: unknown): boolean {
  if (!session || typeof presented !== 'string' || presented.length !== session.csrf.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(session.csrf));
}
