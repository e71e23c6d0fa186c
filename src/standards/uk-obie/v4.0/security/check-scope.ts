import { AppError } from '../../../../platform/errors/index.ts';
import { verifiedTokenOf, type SecurityStep } from './security-context.ts';
import { SecurityErrors } from './security.errors.ts';

/** The OAuth scopes of the UK OB v4.0 APIs (AIS, PIS incl. VRP, CBPII). */
export type ObApiScope = 'accounts' | 'payments' | 'fundsconfirmations';

/**
 * The token carries the API's scope (OB v4.0 OpenAPI `security`: `TPPOAuth2Security: [accounts]`
 * etc.), else 403 with the RFC 6750 §3.1 `insufficient_scope` challenge naming the scope needed.
 */
export function checkScope(scope: ObApiScope): SecurityStep {
  return async (request, reply) => {
    if (!verifiedTokenOf(request).scopes.has(scope)) {
      reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${scope}"`);
      throw new AppError(SecurityErrors.INSUFFICIENT_SCOPE);
    }
  };
}
