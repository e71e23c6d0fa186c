import type { KeySealer } from '../../platform/keystore/index.ts';
import { Generations, type Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { buildCrl, revokeCertificate, type Crl, type RevocationReason } from './certificate-revocation.ts';
import { warnOfExpiringCertificates, type ExpiryWarning } from './certificate-expiry.ts';
import {
  getOrganisationCertificate,
  issueCertificateFromCsr,
  listOrganisationCertificates,
  renewCertificate,
  revokeOrganisationCertificate,
  type CertificateSigningRequest,
  type CertificateSummary,
  type IssuedCertificate,
} from './certificate-lifecycle.ts';
import type { CertificateInput, TppCertificateValidation, ValidateTppCertificateOptions } from './certificate-validation.ts';
import type { TppCertificateRequest, TppCredentials } from './create-tpp-certificates.ts';
import { getDirectoryJwks, getOrganisationJwks, getSoftwareJwks } from './directory-jwks.ts';
import type { Jwks, Organisation, OrganisationStatus, SoftwareStatement } from './directory-model.ts';
import type { CertificateRecord, DirectoryRepository } from './directory.repository.port.ts';
import { getOrganisation } from './get-organisation.ts';
import { createKyselyDirectoryRepository } from './infra/kysely-directory-repository.ts';
import { issueTppCertificates } from './issue-tpp-certificates.ts';
import { onboardSandboxTpp, type OnboardedTpp, type OnboardSandboxTppInput } from './onboard-sandbox-tpp.ts';
import { publishedCrl } from './published-crl.ts';
import { answerOcspRequest } from './revocation/ocsp-responder.ts';
import { createSandboxDirectory } from './sandbox-directory.ts';
import { loadOrCreateSandboxQtsp, type SandboxQtsp } from './sandbox-qtsp.ts';
import { setOrganisationStatus } from './set-organisation-status.ts';
import { getSoftwareStatement } from './software-statement.ts';
import type { TppDirectory } from './tpp-directory.port.ts';
import { validateTppCertificate } from './validate-client-certificate.ts';

/** This platform's own directory of TPPs and its sandbox QTSP. */
export interface DirectoryApi {
  /** The sandbox QTSP kept in the directory, created on first use. */
  loadOrCreateSandboxQtsp(): Promise<SandboxQtsp>;
  /** The directory port over this directory, certificates chaining to `qtsp` (publicUrl: the platform's public base URL). */
  sandboxDirectory(qtsp: SandboxQtsp, publicUrl: string): TppDirectory;
  /** Organisation, software statement, certificates and SSA of a new sandbox TPP. */
  onboardSandboxTpp(qtsp: SandboxQtsp, input: OnboardSandboxTppInput): Promise<OnboardedTpp>;
  /** New certificates for a software statement the organisation already has. */
  issueTppCertificates(qtsp: SandboxQtsp, request: TppCertificateRequest): Promise<TppCredentials>;
  /** The verdict on a certificate now; nothing is remembered (see DirectoryVerdicts). */
  validateTppCertificate(qtsp: SandboxQtsp, input: CertificateInput, options?: ValidateTppCertificateOptions): Promise<TppCertificateValidation>;
  /** Applies to the TPP's next request on every instance. */
  revokeCertificate(serialNumber: string, reason?: RevocationReason, now?: Date): Promise<void>;
  /** Applies to the TPP's next request on every instance. */
  setOrganisationStatus(organisationId: string, status: OrganisationStatus, now?: Date): Promise<Organisation>;
  /** A new CRL, numbered after the last. */
  buildCrl(qtsp: SandboxQtsp, now?: Date): Promise<Crl>;
  /** The CRL to publish now (DER), shared by every instance. */
  publishedCrl(qtsp: SandboxQtsp): Promise<Uint8Array>;
  /** The QTSP's OCSP responder: a DER OCSPResponse to a DER OCSPRequest, from the records read now. */
  answerOcspRequest(qtsp: SandboxQtsp, request: Uint8Array): Promise<Uint8Array>;
  getOrganisation(organisationId: string): Promise<Organisation>;
  /** Every organisation of this directory, by legal name. */
  listOrganisations(): Promise<Organisation[]>;
  /** A certificate for the key of a TPP's CSR, issued by the sandbox QTSP (a signing key joins the software's JWKS). */
  issueCertificateFromCsr(qtsp: SandboxQtsp, request: CertificateSigningRequest): Promise<IssuedCertificate>;
  /** The organisation's certificates as its TPP lists them. */
  listOrganisationCertificates(organisationId: string): Promise<CertificateSummary[]>;
  /** One of the organisation's certificates as its TPP reads it (DIRECTORY.CERTIFICATE_NOT_FOUND for another's, or an expired one). */
  getOrganisationCertificate(organisationId: string, serialNumber: string): Promise<CertificateSummary>;
  /** A successor of one of the organisation's certificates for the key of a new CSR. */
  renewCertificate(qtsp: SandboxQtsp, organisationId: string, serialNumber: string, csrPem: string, publicUrl: string): Promise<IssuedCertificate>;
  /** Revokes one of the organisation's own certificates; applies to the next request on every instance. */
  revokeOrganisationCertificate(organisationId: string, serialNumber: string, reason: RevocationReason): Promise<void>;
  /** Warns (CertificateExpiring events) of certificates expiring within 30, 7 and 1 days, once per threshold. */
  warnOfExpiringCertificates(now?: Date): Promise<ExpiryWarning[]>;
  /** Every unexpired certificate the sandbox QTSP issued to the organisation, revoked ones too (none when it is unknown). */
  organisationCertificates(organisationId: string): Promise<CertificateRecord[]>;
  getSoftwareStatement(softwareId: string): Promise<SoftwareStatement>;
  /** The keys SSAs verify with. */
  directoryJwks(): Promise<Jwks>;
  organisationJwks(organisationId: string, now?: Date): Promise<Jwks>;
  softwareJwks(softwareId: string): Promise<Jwks>;
}

export interface DirectoryModuleDeps {
  readonly db: Db;
  /** Where every instance learns that a revocation or status change retired what it remembers. */
  readonly cache: Cache;
  /** Seals the sandbox QTSP's private keys in the database (the local keystore); without it they are stored as PEMs. */
  readonly sealer?: KeySealer | undefined;
}

/** The directory over its repository (tests give one of their own). */
export function directoryApiOver(records: DirectoryRepository, { cache }: Omit<DirectoryModuleDeps, 'db'>): DirectoryApi {
  // The published CRL's generation, read through one memo for every fetch.
  const crlGenerations = new Generations(cache);
  return {
    loadOrCreateSandboxQtsp: () => loadOrCreateSandboxQtsp(records),
    sandboxDirectory: (qtsp, publicUrl) => createSandboxDirectory({ records, qtsp, publicUrl }),
    onboardSandboxTpp: (qtsp, input) => onboardSandboxTpp(records, qtsp, qtsp.directorySigner, input),
    issueTppCertificates: (qtsp, request) => issueTppCertificates(records, qtsp, request),
    validateTppCertificate: (qtsp, input, options) => validateTppCertificate(records, qtsp, input, options),
    revokeCertificate: (serialNumber, reason, now) => revokeCertificate(records, cache, serialNumber, reason, now),
    setOrganisationStatus: (organisationId, status, now) => setOrganisationStatus(records, cache, organisationId, status, now),
    buildCrl: (qtsp, now) => buildCrl(records, qtsp, now),
    publishedCrl: (qtsp) => publishedCrl(records, cache, crlGenerations, qtsp),
    answerOcspRequest: (qtsp, request) => answerOcspRequest(records, qtsp, request),
    getOrganisation: (organisationId) => getOrganisation(records, organisationId),
    listOrganisations: () => records.listOrganisations(),
    issueCertificateFromCsr: (qtsp, request) => issueCertificateFromCsr(records, qtsp, request),
    listOrganisationCertificates: (organisationId) => listOrganisationCertificates(records, organisationId),
    getOrganisationCertificate: (organisationId, serialNumber) => getOrganisationCertificate(records, organisationId, serialNumber),
    renewCertificate: (qtsp, organisationId, serialNumber, csrPem, publicUrl) => renewCertificate(records, qtsp, organisationId, serialNumber, csrPem, publicUrl),
    revokeOrganisationCertificate: (organisationId, serialNumber, reason) => revokeOrganisationCertificate(records, cache, organisationId, serialNumber, reason),
    warnOfExpiringCertificates: (now) => warnOfExpiringCertificates(records, now),
    organisationCertificates: async (organisationId) => (await records.organisationCertificates(organisationId, new Date(), { includeRevoked: true })) ?? [],
    getSoftwareStatement: (softwareId) => getSoftwareStatement(records, softwareId),
    directoryJwks: () => getDirectoryJwks(records),
    organisationJwks: (organisationId, now) => getOrganisationJwks(records, organisationId, now),
    softwareJwks: (softwareId) => getSoftwareJwks(records, softwareId),
  };
}

/** The directory on the platform database. */
export function createDirectoryModule(deps: DirectoryModuleDeps): DirectoryApi {
  return directoryApiOver(createKyselyDirectoryRepository(deps.db, deps.sealer), deps);
}
