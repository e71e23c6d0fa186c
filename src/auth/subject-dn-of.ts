import { x509 } from '../platform/tls/index.ts';

/**
 * A certificate's subject as the RFC 4514 string a `tls_client_auth_subject_dn` (RFC 8705 §2.1.2)
 * names it by: the RDNs last first (§2.1), joined by commas; attribute types without a short name in
 * §3 (organizationIdentifier, 2.5.4.97) as dotted OIDs; values escaped as §2.4 requires. The first
 * certificate of a PEM chain is the leaf. `subjectDnMatches` accepts it for that certificate.
 */
export function subjectDnOf(certificatePem: string): string {
  const rdns = new x509.X509Certificate(certificatePem).subjectName.toJSON();
  return [...rdns]
    .reverse()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([type, values]) => values.map((value) => `${type}=${escapeValue(value)}`))
        .join('+'),
    )
    .join(',');
}

function escapeValue(value: string): string {
  return value
    .replace(/[\\"+,;<>]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
    .replaceAll('\u0000', '\\00');
}
