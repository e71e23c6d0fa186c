import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, id_ce_cRLNumber } from '@peculiar/asn1-x509';
import type { Cache } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { EC_P256, x509 } from '../../platform/tls/index.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { forgetDirectoryVerdicts } from './directory-verdicts.ts';
import type { SandboxQtsp } from './sandbox-qtsp.ts';

/** RFC 5280 §5.3.1 CRLReason values a directory revokes for (certificateHold is not used). */
export const REVOCATION_REASONS = ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface Crl {
  /** DER, served as `application/pkix-crl` (RFC 5280 §5, RFC 2585 §4.2). */
  readonly der: ArrayBuffer;
  readonly crlNumber: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

const CRL_LIFETIME_MS = 24 * 3600 * 1000;

/**
 * Revokes a certificate. Once committed, every remembered certificate verdict is retired
 * (`forgetDirectoryVerdicts`), so revocation takes effect on the next request on every instance.
 * Revoking an already revoked certificate changes nothing.
 */
export async function revokeCertificate(records: DirectoryRepository, cache: Cache, serialNumber: string, reason: RevocationReason = 'unspecified', now: Date = new Date()): Promise<void> {
  if (!(await records.revokeCertificate(serialNumber.toLowerCase(), reason, now))) throw new AppError(DirectoryErrors.CERTIFICATE_NOT_FOUND);
  await forgetDirectoryVerdicts(cache);
}

/**
 * A CRL signed by the issuing CA listing every revoked, unexpired certificate (RFC 5280 §3.3 lets
 * expired ones drop off). The CRL number comes from one UPDATE … RETURNING, so it increases across
 * all instances (RFC 5280 §5.2.3: monotonically increasing).
 */
export async function buildCrl(records: DirectoryRepository, qtsp: SandboxQtsp, now: Date = new Date()): Promise<Crl> {
  const crlNumber = await records.nextCrlNumber();
  const revoked = await records.revokedCertificates(now);
  const nextUpdate = new Date(now.getTime() + CRL_LIFETIME_MS);
  const crl = await x509.X509CrlGenerator.create({
    issuer: qtsp.issuingCertificate.subjectName,
    thisUpdate: now,
    // RFC 5280 §5.1.2.5: conforming CRL issuers MUST include nextUpdate.
    nextUpdate,
    signingKey: qtsp.issuingPrivateKey,
    signingAlgorithm: EC_P256,
    extensions: [
      // RFC 5280 §5.2.1 and §5.2.3: authorityKeyIdentifier and cRLNumber are mandatory.
      await x509.AuthorityKeyIdentifierExtension.create(qtsp.issuingCertificate),
      new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(Number(crlNumber)))),
    ],
    entries: revoked.map((certificate) => ({
      serialNumber: certificate.serialNumber,
      revocationDate: certificate.revokedAt,
      reason: x509.X509CrlReason[(certificate.reason ?? 'unspecified') as RevocationReason] ?? x509.X509CrlReason.unspecified,
    })),
  });
  return { der: crl.rawData, crlNumber, thisUpdate: now, nextUpdate };
}
