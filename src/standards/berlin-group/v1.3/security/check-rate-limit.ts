import type { RateLimitsApi } from '../../../../modules/rate-limits/index.ts';
import type { Xs2aStep } from './xs2a-context.ts';

/**
 * The TPP's allowance on the Berlin Group API, and its consent's (src/modules/rate-limits): counted
 * in the shared cache, so every instance draws on the same one; 429 ACCESS_EXCEEDED with
 * `Retry-After` when used up. Keyed on the organisation `identifyTpp` established from the QWAC
 * and the consent `checkConsentValid` found to be its own. A `preHandler` after the request
 * signature: a forged or refused request counts against nothing.
 */
export function checkRateLimit(limits: Pick<RateLimitsApi, 'admit'>): Xs2aStep {
  return async (request) => {
    const tpp = request.xs2aTpp;
    if (!tpp) return;
    await limits.admit('berlin-group', { clientId: tpp.clientId, consentId: request.xs2aConsent?.id });
  };
}
