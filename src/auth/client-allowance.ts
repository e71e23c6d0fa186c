import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../platform/errors/index.ts';
import { AUTHORIZATION_SERVER_ROUTES } from './authorization-server-routes.ts';

/** Counts one request against a caller's allowance; refuses with an AppError of status 429 and `retryAfterSeconds`. */
export type AdmitCaller = (callerKey: string) => Promise<void>;

/** The endpoints where a TPP authenticates as a client (RFC 6749 §3.2, RFC 9126, RFC 7662, RFC 7009): the ones a TPP can flood. */
const CLIENT_ENDPOINTS: ReadonlySet<string> = new Set([
  AUTHORIZATION_SERVER_ROUTES.token,
  AUTHORIZATION_SERVER_ROUTES.pushed_authorization_request,
  AUTHORIZATION_SERVER_ROUTES.introspection,
  AUTHORIZATION_SERVER_ROUTES.revocation,
]);

/**
 * The authorization server's rate limit, a step before oidc-provider: every POST to a client
 * endpoint counts against the transport certificate presented (its SHA-256) — the caller's own,
 * never a `client_id` or `client_assertion` it merely names, which would let anyone spend another
 * TPP's allowance. A request without a certificate counts against nothing; oidc-provider refuses
 * it (FAPI: mutual TLS at these endpoints). Over the allowance: 429 with `Retry-After` and an
 * OAuth error body (RFC 6749 §5.2 format), `temporarily_unavailable` as the DCR facade answers.
 */
export function clientAllowancePreHandler(admit: AdmitCaller) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.method !== 'POST' || !CLIENT_ENDPOINTS.has(request.routeOptions.url ?? '')) return undefined;
    const certificate = request.clientCertificate();
    if (!certificate) return undefined;
    try {
      await admit(`certificate:${certificate.sha256.toString('hex')}`);
      return undefined;
    } catch (error) {
      if (!isAppError(error) || error.status !== 429) throw error;
      return reply
        .code(429)
        .header('retry-after', String(error.retryAfterSeconds ?? 1))
        .header('cache-control', 'no-store')
        .type('application/json')
        .send({ error: 'temporarily_unavailable', error_description: 'Too many requests from this client certificate to the authorization server: retry after the delay given in Retry-After' });
    }
  };
}
