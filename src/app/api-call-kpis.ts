import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiService, ApiStandard, KpiCollector } from '../modules/insights/index.ts';
import { isObRejectedAnswer } from '../standards/uk-obie/v4.0/ob-rejected-answer.ts';
import { isXs2aRejectedAnswer } from '../standards/berlin-group/v1.3/xs2a-rejected-answer.ts';

/** The TPP a request was made for: the verified access token's client (OB), the QWAC's organisation (XS2A). */
export type TppOfRequest = (request: FastifyRequest) => string | undefined;

interface Sent {
  ttfbMs: number;
  payloadBytes: number;
  rejected: boolean;
}

/** The dedicated interface's endpoints, by route template: the OB v4.0 APIs with DCR, and NextGenPSD2. */
function classify(route: string): { standard: ApiStandard; service: ApiService } | undefined {
  if (route.startsWith('/open-banking/')) {
    const family = /^\/open-banking\/v[\d.]+\/(aisp|pisp|cbpii)\//.exec(route)?.[1];
    return { standard: 'uk-obie', service: family === 'aisp' ? 'account-information' : family === 'pisp' ? 'payment-initiation' : family === 'cbpii' ? 'funds-confirmation' : 'other' };
  }
  if (route === '/register' || route.startsWith('/register/')) return { standard: 'uk-obie', service: 'other' };
  if (route.startsWith('/berlin-group/')) {
    const service: ApiService = /^\/berlin-group\/v\d+\/(funds-confirmations|consents\/confirmation-of-funds)/.test(route)
      ? 'funds-confirmation'
      : /^\/berlin-group\/v\d+\/(payments|periodic-payments|bulk-payments)\//.test(route)
        ? 'payment-initiation'
        : /^\/berlin-group\/v\d+\/(consents|accounts|card-accounts)/.test(route)
          ? 'account-information'
          : 'other';
    return { standard: 'berlin-group', service };
  }
  return undefined;
}

const byteLength = (payload: unknown): number | undefined =>
  typeof payload === 'string' ? Buffer.byteLength(payload) : Buffer.isBuffer(payload) ? payload.length : undefined;

/**
 * Feeds every answered call of the dedicated interface to the KPI collector (src/modules/insights):
 * its route template (never the raw URL), TPP, status, whether it answered a rejected resource,
 * time to first byte (the response starting to be written, onSend) and to last byte (onResponse),
 * and payload size. Other paths (health, metrics, sandbox, PSU pages) are not the interface's.
 * The hooks take a callback rather than return a promise: they wait for nothing.
 */
export function installApiCallKpis(app: FastifyInstance, collector: KpiCollector, tppOf: TppOfRequest): void {
  const sent = new WeakMap<FastifyRequest, Sent>();
  // Each route template is classified once: there are few templates and many calls.
  const kinds = new Map<string, ReturnType<typeof classify>>();
  const kindOf = (route: string) => {
    if (!kinds.has(route)) kinds.set(route, classify(route));
    return kinds.get(route);
  };
  app.addHook('onSend', (request, reply, payload, done) => {
    const route = request.routeOptions.url;
    const kind = route === undefined ? undefined : kindOf(route);
    if (kind) {
      const text = typeof payload === 'string' ? payload : undefined;
      const ok = reply.statusCode < 400;
      sent.set(request, {
        ttfbMs: reply.elapsedTime,
        payloadBytes: byteLength(payload) ?? 0,
        rejected: ok && text !== undefined && (kind.standard === 'uk-obie' ? isObRejectedAnswer(text) : isXs2aRejectedAnswer(text)),
      });
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    const kind = route === undefined ? undefined : kindOf(route);
    if (kind && route !== undefined) {
      const ttlbMs = reply.elapsedTime;
      const onSend = sent.get(request);
      const length = Number(reply.getHeader('content-length'));
      collector.record({
        at: new Date(Date.now() - ttlbMs),
        standard: kind.standard,
        service: kind.service,
        endpoint: `${request.method} ${route}`,
        clientId: tppOf(request),
        statusCode: reply.statusCode,
        rejected: onSend?.rejected ?? false,
        ttfbMs: onSend?.ttfbMs ?? ttlbMs,
        ttlbMs,
        payloadBytes: Number.isFinite(length) && length >= 0 ? length : (onSend?.payloadBytes ?? 0),
      });
    }
    done();
  });
}
