import type { FastifyInstance } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { RateLimitFamily, RateLimitKind } from '../modules/rate-limits/index.ts';
import { isAppError } from '../platform/errors/index.ts';
import { BERLIN_GROUP_PREFIX } from '../standards/berlin-group/v1.3/index.ts';

/**
 * Requests refused because an allowance was used up (`portico_rate_limited_requests_total`), by API
 * family and limit: `client` (the TPP's), `consent`, or `unattended` (reads without the PSU per
 * consent and day). Created before the metrics registry, registered with it once it exists.
 */
export function rateLimitMetrics(): {
  readonly limited: (family: RateLimitFamily, kind: RateLimitKind) => void;
  /** Counts the daily unattended-read refusals of both facades, as they are thrown. */
  readonly countUnattendedRefusals: (server: FastifyInstance) => void;
  readonly register: (registry: Registry) => void;
} {
  const refused = new Counter({
    name: 'portico_rate_limited_requests_total',
    help: 'API requests refused with 429 because an allowance was used up, by API family and limit (client, consent, unattended)',
    labelNames: ['family', 'limit'] as const,
    registers: [],
  });
  return {
    limited: (family, kind) => refused.inc({ family, limit: kind }),
    countUnattendedRefusals: (server) =>
      server.addHook('onError', async (request, _reply, error) => {
        if (isAppError(error) && error.code === 'CONSENT.UNATTENDED_ACCESS_EXCEEDED') {
          refused.inc({ family: request.url.startsWith(BERLIN_GROUP_PREFIX) ? 'berlin-group' : 'accounts', limit: 'unattended' });
        }
      }),
    register: (registry) => registry.registerMetric(refused),
  };
}
