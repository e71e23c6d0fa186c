import type { FastifyInstance, FastifyRequest } from 'fastify';
import { context, SpanKind, SpanStatusCode, trace, tracer } from '../tracing/index.ts';
import type { Span } from '@opentelemetry/api';
import type { ClientOfRequest } from './metrics.ts';

/**
 * One server span per request (OpenTelemetry; a no-op without an OTLP endpoint): named by route
 * template, carrying the interaction id (`fapi.interaction_id`, the x-fapi-interaction-id the
 * TPP sent or the one Portico made) and, once its token is verified, the TPP's client id. What the
 * request does — queries, core calls, events — happens inside it, as child spans.
 */
export function traceRequests(app: FastifyInstance, clientOf?: ClientOfRequest): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const span = tracer.startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url.split('?')[0]!, 'fapi.interaction_id': request.id },
    });
    spans.set(request, span);
    context.with(trace.setSpan(context.active(), span), done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    const clientId = clientOf?.(request);
    if (clientId !== undefined) span.setAttribute('portico.tpp.client_id', clientId);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}
