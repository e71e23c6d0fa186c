import type { Db } from '../../platform/db/index.ts';
import { AppError, type ErrorDefinition } from '../../platform/errors/index.ts';
import { x509 } from '../../platform/tls/index.ts';
import { certificateThumbprint } from './certificate-thumbprint.ts';
import { toOrganisation, type Organisation, type TppRole } from './directory-model.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { parsePsd2QcStatement, type Psd2QcStatement } from './qc-statements.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';

export type CertificateUsage = 'transport' | 'signing';

export type TppCertificateValidation =
  | {
      readonly ok: true;
      readonly organisation: Organisation;
      /** Roles both in the certificate's PSD2 QCStatement and currently held in the directory. */
      readonly roles: TppRole[];
      /** RFC 8705 x5t#S256, for binding tokens to this certificate. */
      readonly thumbprint: string;
      readonly certificate: x509.X509Certificate;
    }
  | { readonly ok: false; readonly error: AppError };

export interface ValidateTppCertificateOptions {
  readonly now?: Date;
  /** `transport` (default) for mTLS client certificates, `signing` for QSealC-style ones. */
  readonly usage?: CertificateUsage;
}

/** A PEM (the first certificate of a chain is the leaf), DER bytes, or a parsed certificate. */
export type CertificateInput = string | ArrayBuffer | ArrayBufferView | x509.X509Certificate;

const ID_ORGANIZATION_IDENTIFIER = '2.5.4.97';

/**
 * Decides whether a certificate identifies a TPP allowed to act now. Each check is a named step
 * returning the error it found; the first failure wins. Nothing is cached: a revocation or an
 * organisation status change in the directory applies to the next call.
 */
export async function validateTppCertificate(db: Db, qtsp: SandboxQtsp, input: CertificateInput, options: ValidateTppCertificateOptions = {}): Promise<TppCertificateValidation> {
  const now = options.now ?? new Date();
  const certificate = parseCertificate(input);
  if (!certificate) return reject(DirectoryErrors.CERTIFICATE_MALFORMED);
  const certificateError =
    (await checkChainsToQtsp(certificate, qtsp)) ??
    checkValidityPeriod([certificate, qtsp.issuingCertificate, qtsp.rootCertificate], now) ??
    checkKeyUsage(certificate, options.usage ?? 'transport');
  if (certificateError) return reject(certificateError);
  const thumbprint = certificateThumbprint(certificate);
  const registration = await checkRegisteredAndNotRevoked(db, certificate, thumbprint);
  if ('error' in registration) return reject(registration.error);
  const statement = parsePsd2QcStatement(certificate);
  if (!statement) return reject(DirectoryErrors.QC_STATEMENT_MISSING);
  const found = await findCertificateOrganisation(db, certificate, registration.organisationId);
  if ('error' in found) return reject(found.error);
  const statusError = checkOrganisationActive(found.organisation);
  if (statusError) return reject(statusError);
  const roles = authorisedRoles(statement, found.organisation);
  if (roles.length === 0) return reject(DirectoryErrors.ROLES_NOT_AUTHORISED);
  return { ok: true, organisation: found.organisation, roles, thumbprint, certificate };
}

function reject(definition: ErrorDefinition): TppCertificateValidation {
  return { ok: false, error: new AppError(definition) };
}

function parseCertificate(input: CertificateInput): x509.X509Certificate | undefined {
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

/** RFC 5280 §6.1.3: names chain and each signature verifies, leaf → issuing CA → root. */
async function checkChainsToQtsp(certificate: x509.X509Certificate, qtsp: SandboxQtsp): Promise<ErrorDefinition | undefined> {
  const { issuingCertificate: issuing, rootCertificate: root } = qtsp;
  if (certificate.issuer !== issuing.subject || issuing.issuer !== root.subject) return DirectoryErrors.CERTIFICATE_UNTRUSTED;
  try {
    const leafSigned = await certificate.verify({ publicKey: issuing, signatureOnly: true });
    const issuingSigned = await issuing.verify({ publicKey: root, signatureOnly: true });
    return leafSigned && issuingSigned ? undefined : DirectoryErrors.CERTIFICATE_UNTRUSTED;
  } catch {
    return DirectoryErrors.CERTIFICATE_UNTRUSTED;
  }
}

/** RFC 5280 §6.1.3(a)(2): every certificate of the path is within its validity period. */
function checkValidityPeriod(path: x509.X509Certificate[], now: Date): ErrorDefinition | undefined {
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
function checkKeyUsage(certificate: x509.X509Certificate, usage: CertificateUsage): ErrorDefinition | undefined {
  const keyUsage = certificate.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  if (usage === 'signing') return keyUsage & x509.KeyUsageFlags.nonRepudiation ? undefined : DirectoryErrors.CERTIFICATE_USAGE_INVALID;
  const extendedUsages = certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages.map(String) ?? [];
  const clientAuth = extendedUsages.includes(x509.ExtendedKeyUsage.clientAuth);
  return keyUsage & x509.KeyUsageFlags.digitalSignature && clientAuth ? undefined : DirectoryErrors.CERTIFICATE_USAGE_INVALID;
}

/** The directory's record of the certificate, read fresh so revocation applies immediately. */
async function checkRegisteredAndNotRevoked(db: Db, certificate: x509.X509Certificate, thumbprint: string): Promise<{ organisationId: string } | { error: ErrorDefinition }> {
  const row = await db
    .selectFrom('directory_certificates')
    .select(['organisation_id', 'sha256_thumbprint', 'revoked_at'])
    .where('serial_number', '=', certificate.serialNumber.toLowerCase())
    .executeTakeFirst();
  if (!row || row.sha256_thumbprint !== thumbprint) return { error: DirectoryErrors.CERTIFICATE_UNKNOWN };
  if (row.revoked_at) return { error: DirectoryErrors.CERTIFICATE_REVOKED };
  return { organisationId: row.organisation_id };
}

/** ETSI TS 119 495 §5.2.1: the subject's organizationIdentifier names the authorised PSP. */
async function findCertificateOrganisation(db: Db, certificate: x509.X509Certificate, registeredTo: string): Promise<{ organisation: Organisation } | { error: ErrorDefinition }> {
  const [identifier] = certificate.subjectName.getField(ID_ORGANIZATION_IDENTIFIER);
  if (!identifier) return { error: DirectoryErrors.ORGANISATION_IDENTIFIER_MISSING };
  const row = await db.selectFrom('directory_organisations').selectAll().where('organization_identifier', '=', identifier).executeTakeFirst();
  // The certificate must belong to the organisation its subject names, not merely to some organisation.
  if (!row || row.id !== registeredTo) return { error: DirectoryErrors.ORGANISATION_UNKNOWN };
  return { organisation: toOrganisation(row) };
}

function checkOrganisationActive(organisation: Organisation): ErrorDefinition | undefined {
  if (organisation.status === 'Suspended') return DirectoryErrors.ORGANISATION_SUSPENDED;
  if (organisation.status === 'Revoked') return DirectoryErrors.ORGANISATION_REVOKED;
  return undefined;
}

/** The certificate states what the NCA authorised at issuance; the directory holds what is current. */
function authorisedRoles(statement: Psd2QcStatement, organisation: Organisation): TppRole[] {
  return organisation.roles.filter((role) => (statement.roles as string[]).includes(role));
}
