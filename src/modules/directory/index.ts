/**
 * The TPP directory: organisations, software statements and their certificates, the sandbox
 * QTSP that issues those certificates, and the checks that turn a client certificate into a
 * trusted TPP identity.
 */
export { createDirectoryModule } from './create-directory-module.ts';
export type { DirectoryApi, DirectoryModuleDeps } from './create-directory-module.ts';
export type { TppDirectory, SoftwareStatementStanding } from './tpp-directory.port.ts';
export { createRemoteDirectory } from './remote-directory.ts';
export type { RemoteDirectoryOptions } from './remote-directory.ts';
export type { SandboxQtsp } from './sandbox-qtsp.ts';
export type { DirectorySigner } from './directory-signer.ts';
export type { TppCertificateRequest, TppCredentials } from './create-tpp-certificates.ts';
export { REVOCATION_REASONS } from './certificate-revocation.ts';
export type { Crl, RevocationReason } from './certificate-revocation.ts';
export { DirectoryVerdicts, forgetDirectoryVerdicts } from './directory-verdicts.ts';
export type { DirectoryVerdictsOptions, PublishedSigningKeys } from './directory-verdicts.ts';
export type { CertificateInput, CertificateUsage, TppCertificateValidation, ValidateTppCertificateOptions } from './certificate-validation.ts';
export { organizationIdentifierFor, SANDBOX_NCA } from './create-organisation.ts';
export type { NewOrganisation } from './create-organisation.ts';
export type { OnboardSandboxTppInput, OnboardedTpp } from './onboard-sandbox-tpp.ts';
export { softwareStatementIssuer } from './software-statement.ts';
export { encodePsd2QcStatements, parsePsd2QcStatement, ID_PE_QC_STATEMENTS, ID_ETSI_PSD2_QC_STATEMENT } from './qc-statements.ts';
export type { Psd2QcStatement, Psd2QcStatementInput, Psd2Role } from './qc-statements.ts';
export { certificateThumbprint } from './certificate-thumbprint.ts';
export { TPP_ROLES, ORGANISATION_STATUSES } from './directory-model.ts';
export type { DirectoryOrganisation, Jwks, Organisation, OrganisationStatus, SoftwareStatement, TppRole } from './directory-model.ts';
export { DirectoryErrors } from './directory.errors.ts';
export type { DirectoryTables } from './infra/directory.tables.ts';
export type { CertificateRecord } from './directory.repository.port.ts';
export { TrustTrace } from './trust-trace.ts';
export type { TrustStep } from './trust-trace.ts';
export { RevocationChecker, DEFAULT_REVOCATION_POLICY } from './revocation/revocation-checker.ts';
export type { RevocationPolicy, RevocationStatus, RevocationSource, RevocationCheckOptions, RevocationCheckerOptions } from './revocation/revocation-checker.ts';
export { createRegistersModule } from './registers/create-registers-module.ts';
export type { RegistersApi } from './registers/create-registers-module.ts';
export { REGISTERS, REPORTED_CHANGES } from './registers/register-model.ts';
export type { RegisterDiff, RegisterEntity, RegisterName, RegisterChange } from './registers/register-model.ts';
export type { RegisterStanding } from './registers/register-standing.ts';
export type { RegisterSnapshot } from './registers/synchronise-register.ts';
export type { RegisterSyncRecord, StoredRegisterEntity } from './registers/registers.repository.port.ts';
export { parseEbaRegister } from './registers/eba-register.ts';
export type { ParsedRegister } from './registers/eba-register.ts';
export { readEbaRegisterFile, downloadEbaRegister, EBA_REGISTER_METADATA_URL } from './registers/eba-register-source.ts';
export type { RegisterProgress } from './registers/eba-register-source.ts';
export { fetchFcaFirms, FCA_REGISTER_API_URL } from './registers/fca-register-source.ts';
export type { FcaRegisterOptions } from './registers/fca-register-source.ts';
export { RegisterStandingChangedV1 } from './registers/register-events.ts';
export { createTrustedListsModule } from './trust-lists/create-trusted-lists-module.ts';
export type { TrustedListsApi } from './trust-lists/create-trusted-lists-module.ts';
export { fileTrustedListSource, httpTrustedListSource, statusAt as trustedServiceStatusAt } from './trust-lists/index.ts';
export type { TrustedListOutcome, TrustedListSource, HeldTrustedList, QualifiedUse, TrustedService } from './trust-lists/index.ts';
export { createEidasDirectory } from './eidas-directory.ts';
export type { EidasDirectoryOptions } from './eidas-directory.ts';
export { combineDirectories } from './combined-directories.ts';
export type { NamedDirectory } from './combined-directories.ts';
export type { CertificateSigningRequest, CertificateSummary, IssuedCertificate } from './certificate-lifecycle.ts';
export { CertificateExpiringV1, EXPIRY_WARNING_DAYS } from './certificate-expiry.ts';
export type { ExpiryWarning } from './certificate-expiry.ts';
