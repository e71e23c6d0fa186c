import { X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { directoryPublicJwk } from './directory-signer.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { jwkThumbprint, publicJwkOf } from './public-jwk.ts';
import { SANDBOX_QTSP_ID } from './sandbox-qtsp.ts';

export interface Jwks {
  readonly keys: JWK[];
}

/**
 * The software statement's JWKS (the SSA's software_jwks_endpoint). Keys whose certificate has been
 * revoked are left out at once, so signatures made with them stop verifying.
 */
export async function getSoftwareJwks(db: Db, softwareId: string): Promise<Jwks> {
  // One round trip: it is read on every signed request (x-jws-signature).
  const software = await db
    .selectFrom('directory_software_statements as s')
    .select((eb) => [
      's.jwks',
      eb.fn
        .coalesce(
          eb
            .selectFrom('directory_certificates as c')
            .select(sql<string[]>`array_agg(c.sha256_thumbprint)`.as('thumbprints'))
            .whereRef('c.software_id', '=', 's.software_id')
            .where('c.revoked_at', 'is not', null),
          sql<string[]>`'{}'::text[]`,
        )
        .as('revoked'),
    ])
    .where('s.software_id', '=', softwareId)
    .executeTakeFirst();
  if (!software) throw new AppError(DirectoryErrors.SOFTWARE_STATEMENT_NOT_FOUND);
  const revokedThumbprints = new Set(software.revoked);
  return { keys: software.jwks.keys.filter((key) => !revokedThumbprints.has(String(key['x5t#S256']))) as JWK[] };
}

/**
 * The organisation's JWKS (the SSA's org_jwks_endpoint): the keys of its valid certificates,
 * transport ones with `use: tls` as the OB Directory publishes them, kid = RFC 7638 thumbprint.
 */
export async function getOrganisationJwks(db: Db, organisationId: string, now: Date = new Date()): Promise<Jwks> {
  const organisation = await db.selectFrom('directory_organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
  if (!organisation) throw new AppError(DirectoryErrors.ORGANISATION_NOT_FOUND);
  const certificates = await db
    .selectFrom('directory_certificates')
    .select(['usage', 'pem', 'sha256_thumbprint'])
    .where('organisation_id', '=', organisationId)
    .where('revoked_at', 'is', null)
    .where('not_after', '>', now)
    .orderBy('not_before')
    .orderBy('serial_number')
    .execute();
  const keys = await Promise.all(
    certificates.map(async (row) => {
      const certificate = new X509Certificate(row.pem);
      const jwk = publicJwkOf(certificate.publicKey);
      return { ...jwk, kid: await jwkThumbprint(jwk), use: row.usage === 'transport' ? 'tls' : 'sig', x5c: [certificate.raw.toString('base64')], 'x5t#S256': row.sha256_thumbprint };
    }),
  );
  return { keys };
}

/** The directory's own JWKS, against which SSAs verify; empty before the QTSP is first created. */
export async function getDirectoryJwks(db: Db): Promise<Jwks> {
  const row = await db.selectFrom('directory_ca').select(['directory_signing_key_pem', 'directory_signing_kid']).where('id', '=', SANDBOX_QTSP_ID).executeTakeFirst();
  return { keys: row ? [directoryPublicJwk(row.directory_signing_key_pem, row.directory_signing_kid)] : [] };
}
