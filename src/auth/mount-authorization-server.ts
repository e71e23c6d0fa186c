import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type Provider from 'oidc-provider';
import { AUTHORIZATION_SERVER_ROUTES, PROVIDER_PATHS } from './authorization-server-routes.ts';
import type { SigningKeyRing } from './signing-key-ring.ts';
import { bridgeFastifyRequest } from './client-certificate-bridge.ts';
import { OWN_INPUT_CHECKS } from '../platform/http/index.ts';

/**
 * Serves oidc-provider's endpoints from the one Fastify server. The routes live in their own
 * encapsulated plugin that parses no bodies: oidc-provider reads the raw request stream itself
 * (and refuses pre-parsed bodies), so every content type passes through unconsumed. Replies are
 * hijacked and written by oidc-provider, so its OAuth error bodies (RFC 6749 §5.2) reach TPPs
 * unchanged — the token endpoint's error format is the standard, not OBErrorResponse1.
 */
export interface MountAuthorizationServerOptions {
  /** The keys whose public parts the `jwks_uri` publishes, as they are now (the ring reloads them). */
  readonly signingKeys: SigningKeyRing;
  /** Run in order before each hand-over, e.g. the rate limit (client-allowance.ts), then the directory's certificate check (certificate-trust.ts). */
  readonly preHandlers?: readonly preHandlerAsyncHookHandler[];
}

export async function mountAuthorizationServer(app: FastifyInstance, provider: Provider, options: MountAuthorizationServerOptions): Promise<void> {
  const callback = provider.callback();
  const issuerHost = new URL(provider.issuer).host;

  const handOver = async (request: FastifyRequest, reply: FastifyReply) => {
    bridgeFastifyRequest(request);
    // Headers set so far (x-fapi-interaction-id from the onRequest hook, FAPI 1.0 Part 1
    // §6.2.1-11) live on the Fastify reply, which a hijacked response never flushes: copy them.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    // oidc-provider derives endpoint URLs (discovery, the `aud` it accepts for private_key_jwt)
    // from the Host header. Pin it to the issuer's, so a client or an internal hop cannot change
    // them and they always match PUBLIC_URL, whatever name the request came in by.
    request.raw.headers.host = issuerHost;
    // DESIGN.md §3: a trailing slash names the same endpoint; oidc-provider's router is exact.
    request.raw.url = request.raw.url?.replace(/^([^?]+?)\/+(\?|$)/, '$1$2');
    reply.hijack();
    await callback(request.raw, reply.raw);
  };

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    // The JWKS comes from the ring, not oidc-provider, whose copy is fixed when it starts: a rotated
    // key is published by every instance as soon as it reloads the keys, before it signs anything.
    scope.get(AUTHORIZATION_SERVER_ROUTES.jwks, { config: OWN_INPUT_CHECKS }, async (_request, reply) =>
      reply.header('content-type', 'application/jwk-set+json; charset=utf-8').header('cache-control', 'no-cache').send(JSON.stringify(options.signingKeys.publicJwks())),
    );
    for (const url of PROVIDER_PATHS.filter((path) => path !== AUTHORIZATION_SERVER_ROUTES.jwks)) {
      // oidc-provider answers its own input errors in OAuth's format (the adapter refuses unstorable ids).
      scope.route({ method: ['GET', 'POST', 'OPTIONS'], url, config: OWN_INPUT_CHECKS, handler: handOver, ...(options.preHandlers?.length ? { preHandler: [...options.preHandlers] } : {}) });
    }
  });
}
