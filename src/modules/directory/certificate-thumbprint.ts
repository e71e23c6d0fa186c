import { createHash } from 'node:crypto';
import type { x509 } from '../../platform/tls/index.ts';

/** RFC 8705 §3.1 `x5t#S256`: base64url of the SHA-256 of the DER certificate. */
export function certificateThumbprint(certificate: x509.X509Certificate): string {
  return createHash('sha256').update(new Uint8Array(certificate.rawData)).digest('base64url');
}
