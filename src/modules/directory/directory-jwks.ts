import { X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import { AppError } from '../../platform/errors/index.ts';
import type { Jwks } from './directory-model.ts';
import type { DirectoryRepository } from './directory.repository.port.ts';
import { directoryPublicJwk } from './directory-signer.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { jwkThumbprint, publicJwkOf } from './public-jwk.ts';

/**
 * The software statement's JWKS (the SSA's software_jwks_endpoint). Keys whose certificate has been
 * revoked are left out at once, so signatures made with them stop verifying.
 */
export async function getSoftwareJwks(records: DirectoryRepository, softwareId: string): Promise<Jwks> {
  const software = await records.softwareKeys(softwareId);
  if (!software) throw new AppError(DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND);
  const revokedThumbprints = new Set(software.revokedThumbprints);
  return { keys: software.keys.filter((key) => !revokedThumbprints.has(String(key['x5t#S256']))) };
}

/**
 * The organisation's JWKS (the SSA's org_jwks_endpoint): the keys of its valid certificates,
 * transport ones with `use: tls` as the OB Directory publishes them, kid = RFC 7638 thumbprint.
 */
export async function getOrganisationJwks(records: DirectoryRepository, organisationId: string, now: Date = new Date()): Promise<Jwks> {
  const certificates = await records.organisationCertificates(organisationId, now);
  if (!certificates) throw new AppError(DirectoryErrors.ORGANISATION_NOT_FOUND);
  const keys = await Promise.all(
    certificates.map(async (record): Promise<JWK> => {
      const certificate = new X509Certificate(record.pem);
      const jwk = publicJwkOf(certificate.publicKey);
      return { ...jwk, kid: await jwkThumbprint(jwk), use: record.usage === 'transport' ? 'tls' : 'sig', x5c: [certificate.raw.toString('base64')], 'x5t#S256': record.thumbprint };
    }),
  );
  return { keys };
}

/** The directory's own JWKS, against which SSAs verify; empty before the QTSP is first created. */
export async function getDirectoryJwks(records: DirectoryRepository): Promise<Jwks> {
  const qtsp = await records.findQtsp();
  return { keys: qtsp ? [directoryPublicJwk(qtsp.directorySigningKeyPem, qtsp.directorySigningKid)] : [] };
}
