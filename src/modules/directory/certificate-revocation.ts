import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, id_ce_cRLNumber } from '@peculiar/asn1-x509';
import { sql } from 'kysely';
import type { Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { EC_P256, x509 } from '../../platform/tls/index.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { forgetDirectoryVerdicts } from './directory-verdicts.ts';
import { SANDBOX_QTSP_ID, type SandboxQtsp } from './sandbox-qtsp.ts';

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
export async function revokeCertificate(db: Db, cache: Cache, serialNumber: string, reason: RevocationReason = 'unspecified', now: Date = new Date()): Promise<void> {
  const serial = serialNumber.toLowerCase();
  const row = await db.selectFrom('directory_certificates').select(['serial_number']).where('serial_number', '=', serial).executeTakeFirst();
  if (!row) throw new AppError(DirectoryErrors.CERTIFICATE_NOT_FOUND);
  await db
    .updateTable('directory_certificates')
    .set({ revoked_at: now, revocation_reason: reason })
    .where('serial_number', '=', serial)
    .where('revoked_at', 'is', null)
    .execute();
  await forgetDirectoryVerdicts(cache);
}

/**
 * A CRL signed by the issuing CA listing every revoked, unexpired certificate (RFC 5280 §3.3 lets
 * expired ones drop off). The CRL number comes from one UPDATE … RETURNING, so it increases across
 * all instances (RFC 5280 §5.2.3: monotonically increasing).
 */
export async function buildCrl(db: Db, qtsp: SandboxQtsp, now: Date = new Date()): Promise<Crl> {
  const { crl_number: crlNumber } = await db
    .updateTable('directory_ca')
    .set({ crl_number: sql<bigint>`crl_number + 1` })
    .where('id', '=', SANDBOX_QTSP_ID)
    .returning('crl_number')
    .executeTakeFirstOrThrow();
  const revoked = await db
    .selectFrom('directory_certificates')
    .select(['serial_number', 'revoked_at', 'revocation_reason'])
    .where('revoked_at', 'is not', null)
    .where('not_after', '>', now)
    .orderBy('serial_number')
    .execute();
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
    entries: revoked.map((row) => ({
      serialNumber: row.serial_number,
      revocationDate: row.revoked_at ?? now,
      reason: x509.X509CrlReason[(row.revocation_reason ?? 'unspecified') as RevocationReason] ?? x509.X509CrlReason.unspecified,
    })),
  });
  return { der: crl.rawData, crlNumber, thisUpdate: now, nextUpdate };
}
