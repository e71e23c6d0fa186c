import type { x509 } from '../../platform/tls/index.ts';
import type { DirectoryOrganisation } from './directory-model.ts';
import type { Psd2QcStatement } from './qc-statements.ts';

/** What a trust explanation says of a certificate, a path, a QCStatement or an organisation: one line each. */

export function describeCertificate(certificate: x509.X509Certificate): string {
  return `${certificate.subject}; serial ${certificate.serialNumber.toLowerCase()}; valid ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()}`;
}

export function describePath(path: readonly x509.X509Certificate[]): string {
  return path.map((certificate) => certificate.subjectName.getField('CN')[0] ?? certificate.subject).join(' → ');
}

export function describeStatement(statement: Psd2QcStatement): string {
  return `roles ${statement.roles.join(', ')}; NCA ${statement.ncaName} (${statement.ncaId})`;
}

export function describeOrganisation(organisation: DirectoryOrganisation): string {
  return `${organisation.legalName} (${organisation.id}, ${organisation.organizationIdentifier}): ${organisation.status}, roles ${organisation.roles.join(', ') || 'none'}`;
}
