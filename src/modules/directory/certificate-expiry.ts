import { X509Certificate } from 'node:crypto';
import type { CertificateExpiringPayload } from './certificate-events.ts';
import type { CertificateRecord, DirectoryRepository } from './directory.repository.port.ts';
import { jwkThumbprint, publicJwkOf } from './public-jwk.ts';

/** When a TPP is told its certificate expires: 30, 7 and 1 days before. */
export const EXPIRY_WARNING_DAYS = [30, 7, 1] as const;

const DAY_MS = 86_400_000;

export interface ExpiryWarning {
  readonly serialNumber: string;
  readonly organisationId: string;
  readonly daysLeft: number;
}

/** Whole days from `now` until the certificate expires, rounded up (6 days and 3 hours is 7); 0 once expired. */
export function daysToExpiry(notAfter: Date, now: Date): number {
  return Math.max(0, Math.ceil((notAfter.getTime() - now.getTime()) / DAY_MS));
}

/** A signing certificate's key id as the software's JWKS publishes it (RFC 7638 thumbprint); null for a transport certificate. */
async function kidOf(certificate: CertificateRecord): Promise<string | null> {
  if (certificate.usage !== 'signing') return null;
  return jwkThumbprint(publicJwkOf(new X509Certificate(certificate.pem).publicKey));
}

/** What the warning of a certificate at `withinDays` says, at `now`. */
export async function expiryWarningOf(certificate: CertificateRecord, withinDays: number, now: Date): Promise<CertificateExpiringPayload> {
  return {
    serialNumber: certificate.serialNumber,
    organisationId: certificate.organisationId,
    softwareId: certificate.softwareId,
    usage: certificate.usage,
    kid: await kidOf(certificate),
    notAfter: certificate.notAfter.toISOString(),
    withinDays,
    daysRemaining: daysToExpiry(certificate.notAfter, now),
  };
}

/**
 * Warns of every unrevoked certificate entering one of the thresholds since its last warning,
 * each warning recorded with its event in one transaction, the smallest threshold first so a
 * certificate found with a day left is not also told it has a week.
 */
export async function warnOfExpiringCertificates(records: DirectoryRepository, now: Date = new Date()): Promise<ExpiryWarning[]> {
  const warnings: ExpiryWarning[] = [];
  for (const days of [...EXPIRY_WARNING_DAYS].sort((a, b) => a - b)) {
    const warned = await records.warnOfExpiry(days, now, (certificate) => expiryWarningOf(certificate, days, now));
    warnings.push(...warned.map((certificate) => ({ serialNumber: certificate.serialNumber, organisationId: certificate.organisationId, daysLeft: days })));
  }
  return warnings;
}
