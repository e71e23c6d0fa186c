import type { JWK } from 'jose';
import type { CertificateExpiringPayload } from './certificate-events.ts';
import type { Organisation, OrganisationStatus, SoftwareStatement } from './directory-model.ts';

/** A certificate the sandbox QTSP issued, as the directory records it. */
export interface CertificateRecord {
  /** Lower-case hex. */
  readonly serialNumber: string;
  readonly organisationId: string;
  readonly softwareId: string | null;
  readonly usage: 'transport' | 'signing';
  readonly subject: string;
  /** RFC 8705 §3.1 x5t#S256. */
  readonly thumbprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly pem: string;
  /** When it was revoked, as read back from the directory (unset on a new certificate). */
  readonly revokedAt?: Date | undefined;
}

/** What the directory knows of a certificate and of the organisation its subject names. */
export interface CertificateStanding {
  /** The organisation the certificate was issued to. */
  readonly registeredTo: string;
  readonly thumbprint: string;
  readonly revoked: boolean;
  /** The organisation with the subject's organizationIdentifier, if any. */
  readonly organisation: Organisation | undefined;
}

export interface RevokedCertificate {
  readonly serialNumber: string;
  readonly revokedAt: Date;
  readonly reason: string | null;
}

/** The sandbox QTSP's key material as stored (PEM, PKCS#8). */
export interface QtspRecord {
  readonly rootCertificatePem: string;
  readonly issuingCertificatePem: string;
  readonly issuingKeyPem: string;
  readonly directorySigningKeyPem: string;
  readonly directorySigningKid: string;
  readonly createdAt: Date;
}

/** A software statement with the signing keys its JWKS endpoint publishes. */
export interface NewSoftwareStatement extends SoftwareStatement {
  readonly jwks: { readonly keys: JWK[] };
  readonly createdAt: Date;
}

/** What the directory needs from storage. */
export interface DirectoryRepository {
  findOrganisation(organisationId: string): Promise<Organisation | undefined>;
  /** Every organisation, by legal name (the operations console's TPP list). */
  listOrganisations(): Promise<Organisation[]>;
  /** The organisation as changed; undefined when there is none. */
  setOrganisationStatus(organisationId: string, status: OrganisationStatus, now: Date): Promise<Organisation | undefined>;
  findSoftwareStatement(softwareId: string): Promise<SoftwareStatement | undefined>;
  /**
   * An organisation, its software statement and their certificates, together or not at all;
   * throws the database's unique violation (code 23505) on an id clash.
   */
  addTpp(tpp: { organisation: Organisation; softwareStatement: NewSoftwareStatement; certificates: readonly CertificateRecord[] }): Promise<void>;
  addCertificates(certificates: readonly CertificateRecord[]): Promise<void>;
  /** Read fresh in one statement, so revocation and status changes apply at once. */
  certificateStanding(serialNumber: string, organisationIdentifier: string | undefined): Promise<CertificateStanding | undefined>;
  /** Marks the certificate revoked unless it already is; false when the directory does not know it. */
  revokeCertificate(serialNumber: string, reason: string, now: Date): Promise<boolean>;
  /** Whether the QTSP issued the certificate and when it was revoked (null: it was not); undefined when it never issued it. */
  certificateRevocation(serialNumber: string): Promise<{ readonly revokedAt: Date | null } | undefined>;
  /** Revoked certificates not yet expired at `now`, by serial number. */
  revokedCertificates(now: Date): Promise<RevokedCertificate[]>;
  /** Adds a key to the software's published JWKS (its software_jwks_endpoint). */
  publishSoftwareKey(softwareId: string, jwk: JWK): Promise<void>;
  /** The software's published keys and the thumbprints of its revoked certificates, in one round trip. */
  softwareKeys(softwareId: string): Promise<{ keys: JWK[]; revokedThumbprints: string[] } | undefined>;
  /** The organisation's unrevoked (or all, with `includeRevoked`) certificates unexpired at `now`, oldest first; undefined when there is no such organisation. */
  organisationCertificates(organisationId: string, now: Date, options?: { includeRevoked?: boolean }): Promise<CertificateRecord[] | undefined>;
  /**
   * Unrevoked certificates expiring within `days` of `now` not yet warned of at this threshold or a
   * smaller one: each marked warned and its `CertificateExpiring` event, as `warningOf` states it,
   * recorded, together. Answers the certificates warned of.
   */
  warnOfExpiry(days: number, now: Date, warningOf: (certificate: CertificateRecord) => Promise<CertificateExpiringPayload>): Promise<CertificateRecord[]>;
  findQtsp(): Promise<QtspRecord | undefined>;
  /** Stores the QTSP unless one is stored already (concurrent first starts keep the first). */
  addQtspIfAbsent(qtsp: QtspRecord): Promise<void>;
  /** The next CRL number, increasing across all instances (RFC 5280 §5.2.3). */
  nextCrlNumber(): Promise<bigint>;
}
