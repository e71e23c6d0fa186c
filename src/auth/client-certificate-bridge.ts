import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { ClientCertificate } from '../platform/http/index.ts';
import { certificateVerdictOf } from './certificate-trust.ts';

/**
 * oidc-provider sees only the raw Node request, while the client certificate is resolved by the
 * Fastify request's `clientCertificate()` (TLS handshake, or the trusted proxy header). The mount
 * records which Fastify request a raw request belongs to; the provider's mTLS hooks look it up.
 * A WeakMap, so nothing outlives the request.
 */
const fastifyRequests = new WeakMap<IncomingMessage, FastifyRequest>();

export function bridgeFastifyRequest(request: FastifyRequest): void {
  fastifyRequests.set(request.raw, request);
}

/** The Fastify request a raw request handed to oidc-provider came from (its id, its logger). */
export function fastifyRequestOf(req: IncomingMessage): FastifyRequest | undefined {
  return fastifyRequests.get(req);
}

/**
 * The client certificate of a request handed to oidc-provider, if any was presented. One the
 * directory refused on this request (certificate-trust.ts) counts as none, for client
 * authentication and for binding tokens alike (RFC 8705 §2, §3).
 */
export function clientCertificateOf(req: IncomingMessage): ClientCertificate | undefined {
  if (certificateVerdictOf(req) === false) return undefined;
  return fastifyRequests.get(req)?.clientCertificate();
}
