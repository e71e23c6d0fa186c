import type { JWTVerifyGetKey } from 'jose';
import type { Jwks } from './directory-model.ts';
import type { SoftwareStatement } from './directory-model.ts';
import type { CertificateInput, TppCertificateValidation, ValidateTppCertificateOptions } from './certificate-validation.ts';

/** What the platform needs to know of a software statement now: whose it is and whether it may act. */
export type SoftwareStatementStanding = Pick<SoftwareStatement, 'softwareId' | 'organisationId' | 'status'>;

/**
 * The directory the bank trusts TPPs through: the one place that says which organisations and
 * software statements may act, which keys sign their software statement assertions (SSAs), which
 * keys the TPPs sign with, and whether a presented certificate identifies one of them now. The
 * sandbox directory (this platform's own tables and QTSP) and a remote directory reached over
 * HTTPS are its adapters; the composition root picks one.
 */
export interface TppDirectory {
  /** The directory's JWKS URL: where the keys that sign its SSAs are published. */
  readonly jwksUrl: string;
  /** The `iss` of the SSAs it signs. */
  readonly softwareStatementIssuer: string;
  /** The keys SSAs verify with, as a `jose` key resolver (fetched and cached by remote adapters). */
  readonly softwareStatementKeys: JWTVerifyGetKey;
  /** The directory's verdict on a TPP's transport or signing certificate, now. */
  validateCertificate(certificate: CertificateInput, options?: ValidateTppCertificateOptions): Promise<TppCertificateValidation>;
  /** The software statement's standing now; undefined when the directory does not know it. */
  findSoftwareStatement(softwareId: string): Promise<SoftwareStatementStanding | undefined>;
  /** The software's public signing keys as its `software_jwks_endpoint` publishes them now (without revoked ones). */
  softwareSigningKeys(software: { readonly softwareId: string; readonly jwksEndpoint: string }): Promise<Jwks>;
}
