import { AppError } from '../../../../platform/errors/index.ts';
import type { SecurityStep } from './security-context.ts';
import { SecurityErrors } from './security.errors.ts';

/**
 * The request came over mutual TLS with a trusted client certificate (FAPI 1.0 Adv §6.2.1-1,
 * RFC 8705 §2): the handshake verified its chain against the client trust anchors, or the trusted
 * TLS-terminating proxy forwarded it (TRUST_PROXY_CLIENT_CERT_HEADER). The server only requests
 * certificates at the handshake (DESIGN.md §3), so this step is what enforces mTLS per route.
 */
export function requireMtls(): SecurityStep {
  return async (request) => {
    const certificate = request.clientCertificate();
    if (!certificate) throw new AppError(SecurityErrors.CLIENT_CERTIFICATE_MISSING);
    if (!(certificate.chainVerifiedAtHandshake || certificate.source === 'proxy-header')) {
      throw new AppError(SecurityErrors.CLIENT_CERTIFICATE_UNTRUSTED);
    }
  };
}
