import type { ErrorDefinition } from '../../../platform/errors/index.ts';
import { x509 } from '../../../platform/tls/index.ts';
import { signedBy } from '../chain-to-trust-anchors.ts';
import { DirectoryErrors } from '../directory.errors.ts';
import { QUALIFIED_STATUSES, statusAt, type QualifiedUse, type TrustedService } from './trusted-list-model.ts';
import type { TrustedListsRepository } from './trusted-lists.repository.port.ts';

/** The CA of a trusted list that issued a certificate, or why there is none that may have. */
export type QualifiedIssuer =
  | { readonly ok: true; readonly service: TrustedService; readonly certificate: x509.X509Certificate; readonly detail: string }
  | { readonly ok: false; readonly error: ErrorDefinition; readonly detail: string };

const QUALIFIED_CA = 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC';

/**
 * eIDAS Art. 45 / ETSI TS 119 615: a qualified certificate is one issued by a trust service of a
 * trusted list that is a qualified CA (`CA/QC`) for the certificate's use (`QWAC` for website
 * authentication, `QSealC` for seals) and whose status, at the moment the certificate was issued
 * (its notBefore), was granted. A CA withdrawn later does not unmake the certificates it issued
 * while granted (revocation does); one withdrawn before cannot issue qualified certificates.
 */
export async function findQualifiedIssuer(records: TrustedListsRepository, certificate: x509.X509Certificate, use: QualifiedUse): Promise<QualifiedIssuer> {
  const candidates = await records.servicesWithSubject(certificate.issuer);
  const issuing: { service: TrustedService; certificate: x509.X509Certificate }[] = [];
  for (const service of candidates) {
    const issuer = new x509.X509Certificate(service.certificatePem);
    if (await signedBy(certificate, issuer)) issuing.push({ service, certificate: issuer });
  }
  if (issuing.length === 0) return { ok: false, error: DirectoryErrors.CERTIFICATE_UNTRUSTED, detail: `no trusted list has a CA ${certificate.issuer} that signed it` };
  const forUse = issuing.filter(({ service }) => service.serviceType === QUALIFIED_CA && service.uses.includes(use));
  if (forUse.length === 0) return { ok: false, error: DirectoryErrors.CERTIFICATE_NOT_QUALIFIED_FOR_USE, detail: `${describe(issuing[0]!.service)} is not a qualified CA for ${use}` };
  const issuedAt = certificate.notBefore;
  const granted = forUse.find(({ service }) => QUALIFIED_STATUSES.has(statusAt(service, issuedAt) ?? ''));
  if (!granted) {
    const status = statusAt(forUse[0]!.service, issuedAt) ?? 'not yet listed';
    return { ok: false, error: DirectoryErrors.ISSUER_NOT_QUALIFIED_AT_ISSUANCE, detail: `${describe(forUse[0]!.service)} was ${status} when it issued the certificate (${issuedAt.toISOString()})` };
  }
  return { ok: true, ...granted, detail: `${describe(granted.service)}, ${statusAt(granted.service, issuedAt)} at issuance (${issuedAt.toISOString()}), now ${statusAt(granted.service, new Date())}` };
}

function describe(service: TrustedService): string {
  return `${service.territory} trusted list: ${service.providerName} / ${service.serviceName}`;
}
