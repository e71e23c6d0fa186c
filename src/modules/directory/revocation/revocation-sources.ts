import { x509 } from '../../../platform/tls/index.ts';

/** The HTTP(S) URLs of the certificate's CRL distribution points (RFC 5280 §4.2.1.13). */
export function crlUrlsOf(certificate: x509.X509Certificate): string[] {
  const extension = certificate.getExtension(x509.CRLDistributionPointsExtension);
  if (!extension) return [];
  return extension.distributionPoints.flatMap((point) => point.distributionPoint?.fullName?.map((name) => name.uniformResourceIdentifier) ?? []).filter(isHttpUrl);
}

/** The HTTP(S) URLs of the certificate's OCSP responders (RFC 5280 §4.2.2.1 authorityInfoAccess). */
export function ocspUrlsOf(certificate: x509.X509Certificate): string[] {
  const extension = certificate.getExtension(x509.AuthorityInfoAccessExtension);
  return (extension?.ocsp ?? []).map((name) => (name.type === 'url' ? name.value : undefined)).filter(isHttpUrl);
}

function isHttpUrl(value: string | undefined): value is string {
  return value !== undefined && /^https?:\/\//i.test(value);
}
