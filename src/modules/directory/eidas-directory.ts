import { errors, type JWTVerifyGetKey } from 'jose';
import { x509 } from '../../platform/tls/index.ts';
import { derThumbprint } from './certificate-thumbprint.ts';
import { checkKeyUsage, checkValidityPeriod, derOf, ID_ORGANIZATION_IDENTIFIER, parseCertificate, reject } from './certificate-checks.ts';
import type { TppCertificateValidation } from './certificate-validation.ts';
import { describeCertificate, describePath, describeStatement } from './describe-trust.ts';
import { TPP_ROLES, type DirectoryOrganisation, type TppRole } from './directory-model.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { parsePsd2QcStatement } from './qc-statements.ts';
import { checkNotRevoked } from './revocation/check-not-revoked.ts';
import type { RevocationChecker } from './revocation/revocation-checker.ts';
import type { TrustedListsApi } from './trust-lists/create-trusted-lists-module.ts';
import type { TppDirectory } from './tpp-directory.port.ts';
import { noted } from './trust-trace.ts';

export interface EidasDirectoryOptions {
  /** The trusted lists the certificates' CAs must be qualified in. */
  readonly trustedLists: TrustedListsApi;
  /** Whether the certificates are revoked: OCSP, then CRLs, under this adapter's policy. */
  readonly revocation: RevocationChecker;
}

/**
 * The directory port without a directory (PSD2 with eIDAS certificates only, as the Berlin Group
 * model has it): a TPP is who its qualified certificate says it is. The certificate must be issued
 * by a qualified CA of a held trusted list — for website authentication (QWAC) when it is a
 * transport certificate, for seals (QSealC) when it signs — that was granted when it issued it,
 * be valid, unrevoked, and carry the ETSI TS 119 495 QCStatement (its PSD2 roles and NCA) and an
 * `organizationIdentifier`. The organisation is that identifier, Active, with the certificate's
 * roles: whether the NCA still authorises it, and where, is the registers' word, so this adapter
 * is always composed with the register checks. There are no software statements: SSAs verify with
 * no key.
 */
export function createEidasDirectory(options: EidasDirectoryOptions): TppDirectory {
  const noSoftwareStatements: JWTVerifyGetKey = async () => {
    throw new errors.JWKSNoMatchingKey('eIDAS mode has no software statements: a TPP is identified by its qualified certificate');
  };
  return {
    jwksUrl: '',
    softwareStatementIssuer: '',
    softwareStatementKeys: noSoftwareStatements,
    async validateCertificate(input, { now = new Date(), usage = 'transport', trace } = {}): Promise<TppCertificateValidation> {
      const der = derOf(input);
      const certificate = der && parseCertificate(input instanceof x509.X509Certificate ? input : der);
      if (!der || !certificate) return reject(noted(trace, 'certificate', DirectoryErrors.CERTIFICATE_MALFORMED, () => '')!);
      noted(trace, 'certificate', undefined, () => describeCertificate(certificate));
      const issuer = await options.trustedLists.qualifiedIssuer(certificate, usage === 'transport' ? 'QWAC' : 'QSealC');
      if (noted(trace, 'trusted list', issuer.ok ? undefined : issuer.error, () => issuer.detail) || !issuer.ok) return reject(issuer.ok ? DirectoryErrors.CERTIFICATE_UNTRUSTED : issuer.error);
      const path = [certificate, issuer.certificate];
      noted(trace, 'chain', undefined, () => describePath(path));
      const certificateError =
        noted(trace, 'validity', checkValidityPeriod(path, now), () => `the certificate and its CA valid at ${now.toISOString()}`) ??
        noted(trace, 'key usage', checkKeyUsage(certificate, usage), () => `for ${usage}`) ??
        (await checkNotRevoked(options.revocation, path, now, trace));
      if (certificateError) return reject(certificateError);
      const statement = parsePsd2QcStatement(certificate);
      if (noted(trace, 'PSD2 QCStatement', statement ? undefined : DirectoryErrors.QC_STATEMENT_MISSING, () => (statement ? describeStatement(statement) : '')) || !statement) return reject(DirectoryErrors.QC_STATEMENT_MISSING);
      const identifier = certificate.subjectName.getField(ID_ORGANIZATION_IDENTIFIER)[0];
      if (noted(trace, 'organizationIdentifier', identifier ? undefined : DirectoryErrors.ORGANISATION_IDENTIFIER_MISSING, () => identifier ?? '') || !identifier) return reject(DirectoryErrors.ORGANISATION_IDENTIFIER_MISSING);
      const roles = statement.roles.filter((role): role is TppRole => (TPP_ROLES as readonly string[]).includes(role));
      if (noted(trace, 'roles', roles.length === 0 ? DirectoryErrors.ROLES_NOT_AUTHORISED : undefined, () => roles.join(', '))) return reject(DirectoryErrors.ROLES_NOT_AUTHORISED);
      const organisation: DirectoryOrganisation = { id: identifier, legalName: certificate.subjectName.getField('O')[0] ?? identifier, organizationIdentifier: identifier, roles, status: 'Active' };
      const pathValidUntil = new Date(Math.min(...path.map((item) => item.notAfter.getTime())));
      return { ok: true, organisation, roles, thumbprint: derThumbprint(der), certificate, pathValidUntil };
    },
    // No directory holds software statements or their keys in eIDAS mode.
    findSoftwareStatement: async () => undefined,
    softwareSigningKeys: async () => ({ keys: [] }),
  };
}
