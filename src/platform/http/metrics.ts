import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface HttpMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status_code'>;
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  /** RED per TPP: requests by client, route template and status class, and their latency by client. */
  readonly tppRequests: Counter<'client_id' | 'route' | 'status_class'>;
  readonly tppDuration: Histogram<'client_id'>;
}

/** The OAuth client a request was made for, once its access token was verified; undefined before or without one. */
export type ClientOfRequest = (request: FastifyRequest) => string | undefined;

/** A registry per server, so several servers in one process (tests) keep separate figures. */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portico_' });
  const labelNames = ['method', 'route', 'status_code'] as const;
  return {
    registry,
    requests: new Counter({ name: 'http_requests_total', help: 'HTTP requests by route template and status', labelNames, registers: [registry] }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route template and status',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    tppRequests: new Counter({
      name: 'portico_tpp_requests_total',
      help: 'API requests of each TPP (OAuth client) by route template and status class',
      labelNames: ['client_id', 'route', 'status_class'] as const,
      registers: [registry],
    }),
    tppDuration: new Histogram({
      name: 'portico_tpp_request_duration_seconds',
      help: 'API request latency of each TPP (OAuth client)',
      labelNames: ['client_id'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

/**
 * Records every response under its route template (never the raw URL, which would carry ids and
 * explode the label space); unmatched paths share one label.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: HttpMetrics, clientOf?: ClientOfRequest): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    metrics.requests.inc(labels);
    metrics.duration.observe(labels, reply.elapsedTime / 1000);
    // Per TPP only for requests whose token named one: an unauthenticated caller picks no label value.
    const clientId = clientOf?.(request);
    if (clientId === undefined) return;
    metrics.tppRequests.inc({ client_id: clientId, route, status_class: `${Math.floor(reply.statusCode / 100)}xx` });
    metrics.tppDuration.observe({ client_id: clientId }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { quietLog: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
