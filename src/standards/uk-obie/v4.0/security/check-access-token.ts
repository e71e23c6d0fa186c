import type { AccessTokenVerifier } from '../../../../auth/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import type { SecurityStep } from './security-context.ts';
import { SecurityErrors } from './security.errors.ts';

// RFC 6750 §2.1: `Bearer` (case-insensitive auth-scheme, RFC 9110 §11.1) then a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * A Bearer access token in the Authorization header (RFC 6750 §2.1; never the query or body, FAPI
 * 1.0 Adv §6.2.1-3 refuses those) that the authorisation server issued and that is still valid.
 * The verified token is recorded as `request.verifiedAccessToken`. Refusals are 401 with the
 * RFC 6750 §3 `WWW-Authenticate` challenge: no error code when no credentials were sent (§3.1),
 * `invalid_token` otherwise.
 */
export function checkAccessToken(verifier: Pick<AccessTokenVerifier, 'verify'>): SecurityStep {
  return async (request, reply) => {
    const header = request.headers.authorization;
    if (!header) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError(SecurityErrors.ACCESS_TOKEN_MISSING, { details: [{ path: 'Authorization' }] });
    }
    const token = BEARER.exec(header)?.[1];
    const verified = token ? await verifier.verify(token) : undefined;
    if (!verified) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(SecurityErrors.ACCESS_TOKEN_INVALID, { details: [{ path: 'Authorization' }] });
    }
    request.verifiedAccessToken = verified;
  };
}
