import Fastify, { LogController, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { Logger } from 'pino';
import { interactionIdFor, INTERACTION_ID_HEADER } from './interaction-id.ts';
import { runInInteraction } from '../events/index.ts';
import { installErrorHandling, type ErrorRendererResolver } from './error-handler.ts';
import { installHttpMetrics, type ClientOfRequest, type HttpMetrics } from './metrics.ts';
import { traceRequests } from './trace-requests.ts';
import { installClientCertificate, type ClientChainsCheckedBy } from './client-certificate.ts';
import { installDrainBeforeAnswer } from './drain-request-body.ts';
import { clientErrorHandler, frameworkErrorsHandler, installRequestSizeLimits, PARSER_MAX_HEADER_BYTES } from './edge-errors.ts';
import type { ErrorRenderer } from './error-renderer.ts';
import { installRefuseUnstorableText } from './refuse-unstorable-text.ts';
import { strictJsonParser, useJsonParser } from './strict-json.ts';

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly tls?: { readonly certPem: string; readonly keyPem: string; readonly clientCaPems: readonly string[] } | undefined;
  readonly trustProxyClientCertHeader: string | undefined;
  /** Who checks TLS client certificates' chains (default the handshake; `directory` in eIDAS mode). */
  readonly clientChainsCheckedBy?: ClientChainsCheckedBy;
  /** Fastify `trustProxy` (which proxies' X-Forwarded-For sets `request.ip`); default: the peer address. */
  readonly trustProxy?: boolean | number | readonly string[] | undefined;
  readonly metrics: HttpMetrics;
  /** The TPP a request was made for (metrics per TPP); none: no per-TPP figures. */
  readonly clientOfRequest?: ClientOfRequest | undefined;
  readonly resolveErrorRenderer: ErrorRendererResolver;
  /**
   * The format of errors Node's HTTP parser raises before there is a request to route (malformed
   * request line or header bytes, oversize headers); plain text when absent.
   */
  readonly edgeErrorRenderer?: ErrorRenderer | undefined;
}

/** Fastify's `trustProxy`; a number of hops becomes the function Fastify itself would build. */
function trustProxyOption(value: HttpServerOptions['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return typeof value === 'object' ? [...value] : (value ?? false);
}

/** An unread body is read for at most this long / this much before an answer goes out anyway. */
const DRAIN_LIMITS = { timeoutMs: 10_000, minBytes: 64 * 1024 * 1024 };

/**
 * The one HTTPS server (DESIGN.md §3): TLS client certificates are requested but not required at
 * the handshake, so that public endpoints work without one and mTLS endpoints enforce it per route.
 */
export async function buildHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    // One log line per request, written on completion (below), keyed by the interaction id.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'interactionId' }),
    bodyLimit: options.bodyLimitBytes,
    genReqId: interactionIdFor,
    // Refuse what a schema does not allow instead of silently dropping or converting it.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
    // DESIGN.md §3: a trailing slash on a resource path is treated as the same path.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    return503OnClosing: true,
    trustProxy: trustProxyOption(options.trustProxy),
    // The router's and Node's parser's own refusals get the standard's error body too (edge-errors.ts).
    frameworkErrors: frameworkErrorsHandler(options.resolveErrorRenderer),
    clientErrorHandler: clientErrorHandler(options.edgeErrorRenderer),
    http: { maxHeaderSize: PARSER_MAX_HEADER_BYTES },
    ...(options.tls
      ? {
          https: {
            cert: options.tls.certPem,
            key: options.tls.keyPem,
            ...(options.tls.clientCaPems.length > 0 ? { ca: [...options.tls.clientCaPems] } : {}),
            requestCert: true,
            rejectUnauthorized: false,
            minVersion: 'TLSv1.2' as const,
            maxHeaderSize: PARSER_MAX_HEADER_BYTES,
          },
        }
      : {}),
  }) as unknown as FastifyInstance;

  // Everything a request does runs as its interaction: the events it records carry its id
  // (src/platform/events `runInInteraction`), so a notification names the call that caused it.
  app.addHook('onRequest', (request, _reply, done) => runInInteraction(request.id, done));
  traceRequests(app, options.clientOfRequest);

  app.addHook('onRequest', async (request, reply) => {
    reply.header(INTERACTION_ID_HEADER, request.id);
  });
  // The edge, before any route's hooks: size limits, then no unstorable text in params, query or body.
  installRequestSizeLimits(app);
  installRefuseUnstorableText(app);
  // Every JSON body: UTF-8, no duplicate members, no unstorable text, bounded nesting (strict-json.ts).
  useJsonParser(app, strictJsonParser(app));
  // No route reads text/plain: such a body is refused (415) instead of reaching a handler as a string.
  app.removeContentTypeParser('text/plain');
  installDrainBeforeAnswer(app, { timeoutMs: DRAIN_LIMITS.timeoutMs, maxBytes: Math.max(DRAIN_LIMITS.minBytes, 4 * options.bodyLimitBytes) });
  app.addHook('onResponse', async (request, reply) => {
    // Probes and scrapes arrive every few seconds; their success is not worth a log line.
    if ((request.routeOptions.config as { quietLog?: boolean }).quietLog && reply.statusCode < 400) return;
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
  });

  await app.register(helmet, {
    // API responses are data, never documents; UI routes set their own, looser policy.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  installClientCertificate(app, options.trustProxyClientCertHeader, options.clientChainsCheckedBy);
  installErrorHandling(app, options.resolveErrorRenderer);
  installHttpMetrics(app, options.metrics, options.clientOfRequest);
  return app;
}
