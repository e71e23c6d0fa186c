import type { FastifyRequest } from 'fastify';
import type { RateLimitFamily, RateLimitsApi } from '../../../../modules/rate-limits/index.ts';
import type { SecurityStep } from './security-context.ts';

/**
 * The TPP's allowance for this API family, and its consent's (src/modules/rate-limits): counted in
 * the shared cache, so every instance draws on the same one and switching instance gains nothing;
 * 429 with `Retry-After` and the OB error body when used up. Keyed on the client of the verified
 * access token and the consent `checkConsentAuthorised` established — a `preHandler`, after every
 * `onRequest` step: a request that identified no client, or was refused, counts against nothing.
 */
export function checkRateLimit(limits: Pick<RateLimitsApi, 'admit'>, familyOf: (request: FastifyRequest) => RateLimitFamily): SecurityStep {
  return async (request) => {
    const clientId = request.verifiedAccessToken?.clientId;
    if (clientId === undefined) return;
    await limits.admit(familyOf(request), { clientId, consentId: request.authorisedConsent?.id });
  };
}

/** OB v4.0's API families by path: consent resources, then AIS, PIS and VRP, CBPII, and the event APIs. */
export function obApiFamilyOf(request: FastifyRequest): RateLimitFamily {
  const path = request.routeOptions.url ?? request.url;
  if (/-consents(\/|$)/.test(path)) return 'consents';
  if (path.startsWith('/open-banking/v4.0/aisp/')) return 'accounts';
  if (path.startsWith('/open-banking/v4.0/pisp/')) return 'payments';
  if (path.startsWith('/open-banking/v4.0/cbpii/')) return 'funds';
  return 'events';
}
