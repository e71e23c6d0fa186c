import { AppError, type ErrorDefinition } from '../../platform/errors/index.ts';
import { x509 } from '../../platform/tls/index.ts';
import type { DirectoryOrganisation, TppRole } from './directory-model.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { Psd2QcStatement } from './qc-statements.ts';
import type { CertificateInput, CertificateUsage, TppCertificateValidation } from './certificate-validation.ts';

/**
 * The checks of a TPP certificate that do not depend on who vouches for it: parsing, validity in
 * time, key usage, the organisation's status and roles. Every directory adapter runs them.
 */

/** ETSI TS 119 495 §5.2.1 organizationIdentifier, e.g. `PSDGB-FCA-123456`. */
export const ID_ORGANIZATION_IDENTIFIER = '2.5.4.97';

export function reject(definition: ErrorDefinition): TppCertificateValidation {
  return { ok: false, error: new AppError(definition) };
}

/** The DER bytes of the leaf; undefined for a PEM without a certificate. */
export function derOf(input: CertificateInput): Uint8Array | undefined {
  try {
    if (input instanceof x509.X509Certificate) return new Uint8Array(input.rawData);
    if (typeof input === 'string') {
      const [leaf] = x509.PemConverter.decode(input);
      return leaf ? new Uint8Array(leaf) : undefined;
    }
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  } catch {
    return undefined;
  }
}

export function parseCertificate(input: CertificateInput): x509.X509Certificate | undefined {
  if (input instanceof x509.X509Certificate) return input;
  try {
    if (typeof input === 'string') {
      const [leaf] = x509.PemConverter.decode(input);
      return leaf ? new x509.X509Certificate(leaf) : undefined;
    }
    return new x509.X509Certificate(input);
  } catch {
    return undefined;
  }
}

/** RFC 5280 §6.1.3(a)(2): every certificate of the path is within its validity period. */
export function checkValidityPeriod(path: x509.X509Certificate[], now: Date): ErrorDefinition | undefined {
  for (const certificate of path) {
    if (now < certificate.notBefore) return DirectoryErrors.CERTIFICATE_NOT_YET_VALID;
    if (now > certificate.notAfter) return DirectoryErrors.CERTIFICATE_EXPIRED;
  }
  return undefined;
}

/**
 * RFC 5280 §4.2.1.3 / §4.2.1.12 with the eIDAS profiles: a QWAC-style transport certificate needs
 * digitalSignature and an extendedKeyUsage naming clientAuth (EN 319 412-4 §4.2); a QSealC-style
 * signing certificate needs nonRepudiation (EN 319 412-2 §4.3.2). So neither passes for the other.
 */
export function checkKeyUsage(certificate: x509.X509Certificate, usage: CertificateUsage): ErrorDefinition | undefined {
  const keyUsage = certificate.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  if (usage === 'signing') return keyUsage & x509.KeyUsageFlags.nonRepudiation ? undefined : DirectoryErrors.CERTIFICATE_USAGE_INVALID;
  const extendedUsages = certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages.map(String) ?? [];
  const clientAuth = extendedUsages.includes(x509.ExtendedKeyUsage.clientAuth);
  return keyUsage & x509.KeyUsageFlags.digitalSignature && clientAuth ? undefined : DirectoryErrors.CERTIFICATE_USAGE_INVALID;
}

export function checkOrganisationActive(organisation: DirectoryOrganisation): ErrorDefinition | undefined {
  if (organisation.status === 'Suspended') return DirectoryErrors.ORGANISATION_SUSPENDED;
  if (organisation.status === 'Revoked') return DirectoryErrors.ORGANISATION_REVOKED;
  return undefined;
}

/** The certificate states what the NCA authorised at issuance; the directory holds what is current. */
export function authorisedRoles(statement: Psd2QcStatement, organisation: DirectoryOrganisation): TppRole[] {
  return organisation.roles.filter((role) => (statement.roles as string[]).includes(role));
}
