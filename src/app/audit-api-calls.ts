import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditApi } from '../modules/audit/index.ts';
import { DependencyUnavailableError } from '../platform/errors/index.ts';
import { errorCodeOf, INTERACTION_ID_HEADER, type ClientCertificate } from '../platform/http/index.ts';
// The request decorations both facades' security steps set (their declarations).
import '../standards/uk-obie/v4.0/security/security-context.ts';
import '../standards/berlin-group/v1.3/security/xs2a-context.ts';

/** Health and metrics scrapes are not API calls: the routes that log quietly are not recorded. */
const isQuiet = (request: FastifyRequest) => (request.routeOptions.config as { quietLog?: boolean } | undefined)?.quietLog === true;

/** The hex of each certificate's SHA-256, made once per certificate (it is one per TLS connection). */
const fingerprints = new WeakMap<ClientCertificate, string>();
function fingerprintOf(certificate: ClientCertificate): string {
  let hex = fingerprints.get(certificate);
  if (hex === undefined) fingerprints.set(certificate, (hex = certificate.sha256.toString('hex')));
  return hex;
}

/**
 * Records every API call in the audit trail when its answer is sent: the TPP (OAuth client, or
 * the organisation of an XS2A QWAC), its certificate's fingerprint, the endpoint (route template
 * and path), the consent and PSU when the call acted under one, the status and error code, the
 * latency, the interaction id and the source address. Under `AUDIT_OVERFLOW=refuse`, a call that
 * arrives while the buffer is full is answered 503 before it does anything. The hooks take a
 * callback rather than return a promise: they wait for nothing.
 */
export function auditApiCalls(app: FastifyInstance, audit: AuditApi, onRefused: () => void): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (isQuiet(request) || audit.hasRoom()) {
      done();
      return;
    }
    onRefused();
    done(new DependencyUnavailableError('the audit trail cannot keep up: the call is not served unrecorded', 1000));
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions;
    if ((route.config as { quietLog?: boolean } | undefined)?.quietLog !== true) {
      const consent = request.authorisedConsent ?? request.xs2aConsent;
      const certificate = request.clientCertificate();
      // The id the TPP knows the call by: XS2A's X-Request-ID, else the FAPI interaction id.
      const interactionId = reply.getHeader('x-request-id') ?? reply.getHeader(INTERACTION_ID_HEADER);
      const query = request.url.indexOf('?');
      audit.record({
        at: new Date(),
        // The sandbox's operator API (dead letters, replays) is operators acting, not TPPs calling.
        kind: request.url.startsWith('/sandbox/v1/operator/') ? 'operator' : 'api-call',
        action: `${request.method} ${route.url ?? 'unmatched'}`,
        outcome: String(reply.statusCode),
        clientId: request.verifiedAccessToken?.clientId ?? request.xs2aTpp?.clientId,
        organisationId: request.xs2aTpp?.organisationId,
        consentId: consent?.id,
        psuId: consent?.psuId ?? undefined,
        interactionId: typeof interactionId === 'string' ? interactionId : request.id,
        details: {
          path: query === -1 ? request.url : request.url.slice(0, query),
          status: reply.statusCode,
          errorCode: errorCodeOf(request),
          latencyMs: Math.round(reply.elapsedTime * 1000) / 1000,
          sourceIp: request.ip,
          certificateSha256: certificate ? fingerprintOf(certificate) : undefined,
        },
      });
    }
    done();
  });
}
