import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateLimitsApi } from '../../../modules/rate-limits/index.ts';
import type { ClientsApi, TppClient } from '../../../modules/clients/index.ts';
import { DCR_ROUTE_CONFIG } from './dcr-error-body.ts';
import { toObClientRegistration } from './ob-client-registration.ts';

export interface DcrRoutesOptions {
  readonly clients: ClientsApi;
  /** The registration family's allowance (src/modules/rate-limits): per client, or per certificate before one exists. */
  readonly rateLimits?: Pick<RateLimitsApi, 'admit'> | undefined;
  /** The bank's directory org_id, echoed in registration responses. */
  readonly aspspOrganisationId: string | undefined;
  readonly now?: () => Date;
}

interface ClientIdParams {
  ClientId: string;
}

/**
 * The request body is the registration JWT: `application/jose`/`application/jwt`, or the spec's own
 * `application/json` (a JSON string, or the bare JWT). Anything else reaches the use case as '',
 * which it refuses as malformed once the caller is authenticated.
 */
function requestJwtOf(body: unknown): string {
  return typeof body === 'string' ? body.trim() : '';
}

function jsonStringOrRaw(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('"')) return trimmed;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'string' ? parsed : trimmed;
  } catch {
    return trimmed;
  }
}

/** RFC 6750 §2.1 `Authorization: Bearer <token>`; anything else counts as no token. */
function bearerTokenOf(request: FastifyRequest): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

const certificateOf = (request: FastifyRequest) => request.clientCertificate()?.der;

/**
 * OB DCR v3.4 (RFC 7591 / RFC 7592): `POST /register`, `GET|PUT|DELETE /register/{ClientId}`.
 * Every route needs mutual TLS with a directory-approved transport certificate; the ClientId routes
 * also need a client-credentials token of that client bound to it. The rules live in the clients
 * module; these routes parse the request and write the spec's bodies.
 */
export async function dcrRoutes(app: FastifyInstance, options: DcrRoutesOptions): Promise<void> {
  const { clients } = options;
  const respond = (client: TppClient) => toObClientRegistration(client, { aspspOrganisationId: options.aspspOrganisationId, now: options.now?.() ?? new Date() });

  // Only these routes read JWT bodies (this plugin is encapsulated).
  app.addContentTypeParser(['application/jose', 'application/jwt'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, jsonStringOrRaw(body as string)));

  // RFC 6750 §3: a 401 of a bearer-protected route carries the challenge (the spec's 401Error header).
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 401 && request.method !== 'POST') {
      reply.header('www-authenticate', bearerTokenOf(request) ? 'Bearer error="invalid_token"' : 'Bearer');
    }
    return payload;
  });

  // The registration allowance (RATE_LIMIT_REGISTRATION_PER_CLIENT), shared by every instance, keyed
  // on the transport certificate presented (its SHA-256): the caller's own, never the ClientId of the
  // path, which would let anyone spend another TPP's allowance. A request without a certificate is
  // refused by the clients module and counts against nothing.
  const { rateLimits } = options;
  if (rateLimits) {
    app.addHook('preHandler', async (request) => {
      const certificate = request.clientCertificate();
      if (certificate) await rateLimits.admit('registration', { clientId: `certificate:${certificate.sha256.toString('hex')}` });
    });
  }

  app.post('/register', { config: DCR_ROUTE_CONFIG }, async (request, reply) => {
    const client = await clients.register({ requestJwt: requestJwtOf(request.body), certificate: certificateOf(request) });
    return reply.status(201).type('application/json').send(respond(client));
  });

  app.get<{ Params: ClientIdParams }>('/register/:ClientId', { config: DCR_ROUTE_CONFIG }, async (request, reply) => {
    const client = await clients.get({ clientId: request.params.ClientId, accessToken: bearerTokenOf(request), certificate: certificateOf(request) });
    return reply.type('application/json').send(respond(client));
  });

  app.put<{ Params: ClientIdParams }>('/register/:ClientId', { config: DCR_ROUTE_CONFIG }, async (request, reply) => {
    const client = await clients.update({
      clientId: request.params.ClientId,
      accessToken: bearerTokenOf(request),
      certificate: certificateOf(request),
      requestJwt: requestJwtOf(request.body),
    });
    return reply.type('application/json').send(respond(client));
  });

  app.delete<{ Params: ClientIdParams }>('/register/:ClientId', { config: DCR_ROUTE_CONFIG }, async (request, reply) => {
    await clients.delete({ clientId: request.params.ClientId, accessToken: bearerTokenOf(request), certificate: certificateOf(request) });
    return reply.status(204).send();
  });
}
