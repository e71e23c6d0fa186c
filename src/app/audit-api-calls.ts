import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditApi } from '../modules/audit/index.ts';
import { DependencyUnavailableError } from '../platform/errors/index.ts';
import { errorCodeOf, INTERACTION_ID_HEADER } from '../platform/http/index.ts';
// The request decorations both facades' security steps set (their declarations).
import '../standards/uk-obie/v4.0/security/security-context.ts';
import '../standards/berlin-group/v1.3/security/xs2a-context.ts';

/** Health and metrics scrapes are not API calls: the routes that log quietly are not recorded. */
const isQuiet = (request: FastifyRequest) => (request.routeOptions.config as { quietLog?: boolean } | undefined)?.quietLog === true;

/**
 * Records every API call in the audit trail when its answer is sent: the TPP (OAuth client, or
 * the organisation of an XS2A QWAC), its certificate's fingerprint, the endpoint (route template
 * and path), the consent and PSU when the call acted under one, the status and error code, the
 * latency, the interaction id and the source address. Under `AUDIT_OVERFLOW=refuse`, a call that
 * arrives while the buffer is full is answered 503 before it does anything.
 */
export function auditApiCalls(app: FastifyInstance, audit: AuditApi, onRefused: () => void): void {
  app.addHook('onRequest', async (request) => {
    if (isQuiet(request) || audit.hasRoom()) return;
    onRefused();
    throw new DependencyUnavailableError('the audit trail cannot keep up: the call is not served unrecorded', 1000);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (isQuiet(request)) return;
    const consent = request.authorisedConsent ?? request.xs2aConsent;
    const certificate = request.clientCertificate();
    // The id the TPP knows the call by: XS2A's X-Request-ID, else the FAPI interaction id.
    const interactionId = reply.getHeader('x-request-id') ?? reply.getHeader(INTERACTION_ID_HEADER);
    audit.record({
      at: new Date(),
      // The sandbox's operator API (dead letters, replays) is operators acting, not TPPs calling.
      kind: request.url.startsWith('/sandbox/v1/operator/') ? 'operator' : 'api-call',
      action: `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
      outcome: String(reply.statusCode),
      clientId: request.verifiedAccessToken?.clientId ?? request.xs2aTpp?.clientId,
      organisationId: request.xs2aTpp?.organisationId,
      consentId: consent?.id,
      psuId: consent?.psuId ?? undefined,
      interactionId: typeof interactionId === 'string' ? interactionId : request.id,
      details: {
        path: request.url.split('?')[0],
        status: reply.statusCode,
        errorCode: errorCodeOf(request),
        latencyMs: Math.round(reply.elapsedTime * 1000) / 1000,
        sourceIp: request.ip,
        certificateSha256: certificate ? certificate.sha256.toString('hex') : undefined,
      },
    });
  });
}
