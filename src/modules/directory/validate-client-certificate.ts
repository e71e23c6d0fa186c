import type { ErrorDefinition } from '../../platform/errors/index.ts';
import { x509 } from '../../platform/tls/index.ts';
import { derThumbprint } from './certificate-thumbprint.ts';
import type { CertificateInput, TppCertificateValidation, ValidateTppCertificateOptions } from './certificate-validation.ts';
import type { Organisation } from './directory-model.ts';
import type { CertificateStanding, DirectoryRepository } from './directory.repository.port.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { authorisedRoles, checkKeyUsage, checkOrganisationActive, checkValidityPeriod, derOf, ID_ORGANIZATION_IDENTIFIER, parseCertificate, reject } from './certificate-checks.ts';
import { parsePsd2QcStatement, type Psd2QcStatement } from './qc-statements.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';
import { describeCertificate, describeOrganisation, describePath, describeStatement } from './describe-trust.ts';
import { noted } from './trust-trace.ts';
import { signedBy } from './chain-to-trust-anchors.ts';

/**
 * Decides whether a certificate identifies a TPP allowed to act now. Each check is a named step
 * returning the error it found; the first failure wins. Nothing is cached: a revocation or an
 * organisation status change in the directory applies to the next call.
 */
export async function validateTppCertificate(records: DirectoryRepository, qtsp: SandboxQtsp, input: CertificateInput, options: ValidateTppCertificateOptions = {}): Promise<TppCertificateValidation> {
  const now = options.now ?? new Date();
  const { trace } = options;
  const facts = await certificateFacts(qtsp, input);
  if (!facts) return reject(noted(trace, 'certificate', DirectoryErrors.CERTIFICATE_MALFORMED, () => '')!);
  const { certificate, thumbprint } = facts;
  noted(trace, 'certificate', undefined, () => describeCertificate(certificate));
  const path = [certificate, qtsp.issuingCertificate, qtsp.rootCertificate];
  const usage = options.usage ?? 'transport';
  const certificateError =
    noted(trace, 'chain', facts.chainError, () => (facts.chainError ? `issuer ${certificate.issuer}` : `${describePath(path)} (the sandbox QTSP)`)) ??
    noted(trace, 'validity', checkValidityPeriod(path, now), () => `every certificate of the path valid at ${now.toISOString()}`) ??
    noted(trace, 'key usage', usage === 'signing' ? facts.signingUsageError : facts.transportUsageError, () => `for ${usage}`);
  if (certificateError) return reject(certificateError);
  const record = await records.certificateStanding(certificate.serialNumber.toLowerCase(), facts.organisationIdentifier);
  const registrationError = noted(trace, 'revocation', checkRegisteredAndNotRevoked(record, thumbprint), () => 'registered with the sandbox directory, not revoked (read now)');
  if (registrationError || !record) return reject(registrationError ?? DirectoryErrors.CERTIFICATE_UNKNOWN);
  const { statement } = facts;
  if (noted(trace, 'PSD2 QCStatement', statement ? undefined : DirectoryErrors.QC_STATEMENT_MISSING, () => (statement ? describeStatement(statement) : ''))) return reject(DirectoryErrors.QC_STATEMENT_MISSING);
  const found = checkCertificateOrganisation(record, facts.organisationIdentifier);
  const organisationError = noted(trace, 'directory', 'error' in found ? found.error : checkOrganisationActive(found.organisation), () =>
    'organisation' in found ? describeOrganisation(found.organisation) : (facts.organisationIdentifier ?? 'no organizationIdentifier'),
  );
  if (organisationError || 'error' in found) return reject(organisationError ?? DirectoryErrors.ORGANISATION_UNKNOWN);
  const roles = authorisedRoles(statement!, found.organisation);
  if (noted(trace, 'roles', roles.length === 0 ? DirectoryErrors.ROLES_NOT_AUTHORISED : undefined, () => roles.join(', '))) return reject(DirectoryErrors.ROLES_NOT_AUTHORISED);
  const pathValidUntil = new Date(Math.min(...path.map((item) => item.notAfter.getTime())));
  return { ok: true, organisation: found.organisation, roles, thumbprint, certificate, pathValidUntil };
}

/** What a certificate says about itself against a QTSP: fixed by its bytes, so computed once. */
interface CertificateFacts {
  readonly certificate: x509.X509Certificate;
  readonly thumbprint: string;
  readonly chainError: ErrorDefinition | undefined;
  readonly transportUsageError: ErrorDefinition | undefined;
  readonly signingUsageError: ErrorDefinition | undefined;
  readonly statement: Psd2QcStatement | undefined;
  /** ETSI TS 119 495 §5.2.1: the subject's organizationIdentifier. */
  readonly organisationIdentifier: string | undefined;
}

/**
 * Parsing, the chain's signatures, key usage and the QCStatement depend only on the certificate's
 * bytes and the QTSP, so they are remembered per QTSP by thumbprint (a bounded memo of a pure
 * function: no decision depends on it being there). Everything that can change — validity in time,
 * registration, revocation, organisation status and roles — is still checked on every call.
 */
const factsByQtsp = new WeakMap<SandboxQtsp, Map<string, CertificateFacts>>();
const MAX_REMEMBERED = 10_000;

async function certificateFacts(qtsp: SandboxQtsp, input: CertificateInput): Promise<CertificateFacts | undefined> {
  const der = derOf(input);
  if (!der) return undefined;
  const thumbprint = derThumbprint(der);
  let remembered = factsByQtsp.get(qtsp);
  if (!remembered) factsByQtsp.set(qtsp, (remembered = new Map()));
  const known = remembered.get(thumbprint);
  if (known) return known;
  const certificate = parseCertificate(input instanceof x509.X509Certificate ? input : der);
  if (!certificate) return undefined;
  const facts: CertificateFacts = {
    certificate,
    thumbprint,
    chainError: await checkChainsToQtsp(certificate, qtsp),
    transportUsageError: checkKeyUsage(certificate, 'transport'),
    signingUsageError: checkKeyUsage(certificate, 'signing'),
    statement: parsePsd2QcStatement(certificate),
    organisationIdentifier: certificate.subjectName.getField(ID_ORGANIZATION_IDENTIFIER)[0],
  };
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(thumbprint, facts);
  return facts;
}

/** RFC 5280 §6.1.3: names chain and each signature verifies, leaf → issuing CA → root. */
async function checkChainsToQtsp(certificate: x509.X509Certificate, qtsp: SandboxQtsp): Promise<ErrorDefinition | undefined> {
  const { issuingCertificate: issuing, rootCertificate: root } = qtsp;
  if (certificate.issuer !== issuing.subject || issuing.issuer !== root.subject) return DirectoryErrors.CERTIFICATE_UNTRUSTED;
  return (await signedBy(certificate, issuing)) && (await signedBy(issuing, root)) ? undefined : DirectoryErrors.CERTIFICATE_UNTRUSTED;
}

function checkRegisteredAndNotRevoked(record: CertificateStanding | undefined, thumbprint: string): ErrorDefinition | undefined {
  if (!record || record.thumbprint !== thumbprint) return DirectoryErrors.CERTIFICATE_UNKNOWN;
  if (record.revoked) return DirectoryErrors.CERTIFICATE_REVOKED;
  return undefined;
}

/** ETSI TS 119 495 §5.2.1: the subject's organizationIdentifier names the authorised PSP. */
function checkCertificateOrganisation(record: CertificateStanding, identifier: string | undefined): { organisation: Organisation } | { error: ErrorDefinition } {
  if (!identifier) return { error: DirectoryErrors.ORGANISATION_IDENTIFIER_MISSING };
  // The certificate must belong to the organisation its subject names, not merely to some organisation.
  const { organisation } = record;
  if (!organisation || organisation.id !== record.registeredTo) return { error: DirectoryErrors.ORGANISATION_UNKNOWN };
  return { organisation };
}
