import { createHash } from 'node:crypto';
import type { x509 } from '../../platform/tls/index.ts';

/** RFC 8705 §3.1 `x5t#S256` of DER certificate bytes: base64url of their SHA-256. */
export function derThumbprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('base64url');
}

/** RFC 8705 §3.1 `x5t#S256`: base64url of the SHA-256 of the DER certificate. */
export function certificateThumbprint(certificate: x509.X509Certificate): string {
  return derThumbprint(new Uint8Array(certificate.rawData));
}
