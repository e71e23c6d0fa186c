import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../../platform/errors/index.ts';
import { verifiedTokenOf, type SecurityStep } from './security-context.ts';
import { SecurityErrors } from './security.errors.ts';

/**
 * RFC 8705 §3: the token is bound to the certificate of this connection — the base64url SHA-256 of
 * the presented certificate's DER (§3.1 `x5t#S256`) equals the token's `cnf`. A token stolen from
 * one TPP is useless over another TPP's (or anyone's) TLS connection. Refused as `invalid_token`
 * (§3: "the protected resource MUST ... reject the request"). Runs after `checkAccessToken`.
 */
export function checkTokenBinding(): SecurityStep {
  return async (request, reply) => {
    const token = verifiedTokenOf(request);
    const certificate = request.clientCertificate();
    const presented = certificate?.sha256;
    const bound = Buffer.from(token.certificateThumbprint, 'base64url');
    if (!presented || presented.length !== bound.length || !timingSafeEqual(presented, bound)) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(SecurityErrors.TOKEN_BINDING_MISMATCH);
    }
  };
}
