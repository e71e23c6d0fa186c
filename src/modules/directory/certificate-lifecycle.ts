import type { JWK } from 'jose';
import type { Cache } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { x509 } from '../../platform/tls/index.ts';
import { daysToExpiry } from './certificate-expiry.ts';
import { revokeCertificate, type RevocationReason } from './certificate-revocation.ts';
import { issueLeaf, signingJwkOf, toRecord } from './create-tpp-certificates.ts';
import type { CertificateRecord, DirectoryRepository } from './directory.repository.port.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';

/** A certificate of an organisation as its TPP lists them. */
export interface CertificateSummary {
  readonly serialNumber: string;
  readonly usage: 'transport' | 'signing';
  readonly softwareId: string | null;
  readonly subject: string;
  readonly status: 'active' | 'revoked' | 'expired';
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Whole days until it expires, rounded up (what its expiry warnings say). */
  readonly daysToExpiry: number;
  /** RFC 8705 x5t#S256. */
  readonly thumbprint: string;
}

export interface CertificateSigningRequest {
  readonly organisationId: string;
  readonly softwareId: string;
  readonly usage: 'transport' | 'signing';
  /** PKCS#10 (RFC 2986), PEM. */
  readonly csrPem: string;
  /** The platform's public base URL: where the certificate names the CRL and OCSP responder. */
  readonly publicUrl: string;
  readonly now?: Date;
}

export interface IssuedCertificate {
  readonly certificate: CertificateSummary;
  /** The leaf and the issuing CA, PEM. */
  readonly certificatePem: string;
  /** For a signing certificate: its key as the software's JWKS now publishes it. */
  readonly jwk?: JWK;
}

/** Keys a certificate may be issued for: ECDSA on P-256 or P-384, RSA of 2048 bits or more. */
function checkKey(csr: x509.Pkcs10CertificateRequest): void {
  const algorithm = csr.publicKey.algorithm as { name: string; namedCurve?: string; modulusLength?: number };
  const ec = algorithm.name === 'ECDSA' && (algorithm.namedCurve === 'P-256' || algorithm.namedCurve === 'P-384');
  const rsa = algorithm.name.startsWith('RSA') && (algorithm.modulusLength ?? 0) >= 2048;
  if (!ec && !rsa) throw new AppError(DirectoryErrors.CSR_KEY_UNSUPPORTED);
}

async function parseCsr(pem: string): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch {
    throw new AppError(DirectoryErrors.CSR_MALFORMED);
  }
  checkKey(csr);
  // RFC 2986 §3: the request is signed with the key it asks a certificate for (proof of possession).
  const signed = await csr.verify().catch(() => false);
  if (!signed) throw new AppError(DirectoryErrors.CSR_SIGNATURE_INVALID);
  return csr;
}

function summaryOf(record: CertificateRecord, now: Date): CertificateSummary {
  return {
    serialNumber: record.serialNumber,
    usage: record.usage,
    softwareId: record.softwareId,
    subject: record.subject,
    status: record.revokedAt ? 'revoked' : record.notAfter < now ? 'expired' : 'active',
    notBefore: record.notBefore,
    notAfter: record.notAfter,
    daysToExpiry: daysToExpiry(record.notAfter, now),
    thumbprint: record.thumbprint,
  };
}

/**
 * The sandbox QTSP issues a certificate for the key of a TPP's CSR (the TPP keeps its private key):
 * the subject is the organisation's as the directory holds it (the CSR's subject is not trusted),
 * the software one of the organisation's. A signing certificate's key joins the software's JWKS.
 */
export async function issueCertificateFromCsr(records: DirectoryRepository, qtsp: SandboxQtsp, request: CertificateSigningRequest): Promise<IssuedCertificate> {
  const organisation = await records.findOrganisation(request.organisationId);
  if (!organisation) throw new AppError(DirectoryErrors.ORGANISATION_NOT_FOUND);
  const software = await records.findSoftwareStatement(request.softwareId);
  if (!software || software.organisationId !== organisation.id) throw new AppError(DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND);
  const csr = await parseCsr(request.csrPem);
  const issuance = { organisation, softwareId: software.softwareId, publicUrl: request.publicUrl, now: request.now };
  const leaf = await issueLeaf(qtsp, issuance, csr.publicKey, request.usage);
  const record = toRecord(leaf, issuance, request.usage);
  await records.addCertificates([record]);
  const jwk = request.usage === 'signing' ? await signingJwkOf(leaf, qtsp) : undefined;
  if (jwk) await records.publishSoftwareKey(software.softwareId, jwk);
  return { certificate: summaryOf(record, request.now ?? new Date()), certificatePem: `${leaf.toString('pem')}\n${qtsp.issuingCertificatePem}`, ...(jwk ? { jwk } : {}) };
}

/** Every certificate the sandbox QTSP issued to the organisation that has not expired, revoked ones included. */
export async function listOrganisationCertificates(records: DirectoryRepository, organisationId: string, now: Date = new Date()): Promise<CertificateSummary[]> {
  const certificates = await records.organisationCertificates(organisationId, now, { includeRevoked: true });
  if (!certificates) throw new AppError(DirectoryErrors.ORGANISATION_NOT_FOUND);
  return certificates.map((record) => summaryOf(record, now));
}

/** One of the organisation's unexpired certificates, revoked or not (another organisation's is not found). */
export async function getOrganisationCertificate(records: DirectoryRepository, organisationId: string, serialNumber: string, now: Date = new Date()): Promise<CertificateSummary> {
  const certificate = (await listOrganisationCertificates(records, organisationId, now)).find((candidate) => candidate.serialNumber === serialNumber.toLowerCase());
  if (!certificate) throw new AppError(DirectoryErrors.CERTIFICATE_NOT_FOUND);
  return certificate;
}

/** A successor of one of the organisation's certificates for the key of a new CSR: same usage and software. */
export async function renewCertificate(records: DirectoryRepository, qtsp: SandboxQtsp, organisationId: string, serialNumber: string, csrPem: string, publicUrl: string): Promise<IssuedCertificate> {
  const current = (await listOrganisationCertificates(records, organisationId)).find((certificate) => certificate.serialNumber === serialNumber.toLowerCase());
  if (!current || !current.softwareId) throw new AppError(DirectoryErrors.CERTIFICATE_NOT_FOUND);
  return issueCertificateFromCsr(records, qtsp, { organisationId, softwareId: current.softwareId, usage: current.usage, csrPem, publicUrl });
}

/** Revokes one of the organisation's own certificates (another organisation's is not found). */
export async function revokeOrganisationCertificate(records: DirectoryRepository, cache: Cache, organisationId: string, serialNumber: string, reason: RevocationReason): Promise<void> {
  const owned = (await listOrganisationCertificates(records, organisationId)).some((certificate) => certificate.serialNumber === serialNumber.toLowerCase());
  if (!owned) throw new AppError(DirectoryErrors.CERTIFICATE_NOT_FOUND);
  await revokeCertificate(records, cache, serialNumber, reason);
}
