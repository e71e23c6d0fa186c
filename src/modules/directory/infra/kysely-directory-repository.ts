import { isSealed, type KeySealer } from '../../../platform/keystore/index.ts';
import type { JWK } from 'jose';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import { ownTables, type Db } from '../../../platform/db/index.ts';
import { recordEvents } from '../../../platform/events/index.ts';
import { CertificateExpiringV2 } from '../certificate-events.ts';
import type { CertificateRecord, DirectoryRepository, QtspRecord } from '../directory.repository.port.ts';
import type { Organisation, SoftwareStatement } from '../directory-model.ts';
import type { DirectoryCaTable, DirectoryCertificatesTable, DirectoryOrganisationsTable, DirectorySoftwareStatementsTable, DirectoryTables } from './directory.tables.ts';

/** The one QTSP row of `directory_ca`. */
const SANDBOX_QTSP_ID = 'sandbox-qtsp';

const organisationOf = (row: Selectable<DirectoryOrganisationsTable>): Organisation => ({
  id: row.id,
  legalName: row.legal_name,
  ncaName: row.nca_name,
  ncaId: row.nca_id,
  authorisationNumber: row.authorisation_number,
  organizationIdentifier: row.organization_identifier,
  roles: row.roles,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const organisationRow = (organisation: Organisation): Insertable<DirectoryOrganisationsTable> => ({
  id: organisation.id,
  legal_name: organisation.legalName,
  nca_name: organisation.ncaName,
  nca_id: organisation.ncaId,
  authorisation_number: organisation.authorisationNumber,
  organization_identifier: organisation.organizationIdentifier,
  roles: JSON.stringify(organisation.roles),
  status: organisation.status,
  created_at: organisation.createdAt,
  updated_at: organisation.updatedAt,
});

const certificateRow = (certificate: CertificateRecord): Insertable<DirectoryCertificatesTable> => ({
  serial_number: certificate.serialNumber,
  organisation_id: certificate.organisationId,
  software_id: certificate.softwareId,
  usage: certificate.usage,
  subject: certificate.subject,
  sha256_thumbprint: certificate.thumbprint,
  not_before: certificate.notBefore,
  not_after: certificate.notAfter,
  revoked_at: null,
  revocation_reason: null,
  pem: certificate.pem,
});

const certificateOf = (row: Selectable<DirectoryCertificatesTable>): CertificateRecord => ({
  serialNumber: row.serial_number,
  organisationId: row.organisation_id,
  softwareId: row.software_id,
  usage: row.usage,
  subject: row.subject,
  thumbprint: row.sha256_thumbprint,
  notBefore: row.not_before,
  notAfter: row.not_after,
  pem: row.pem,
  revokedAt: row.revoked_at ?? undefined,
});

const softwareStatementOf = (row: Selectable<DirectorySoftwareStatementsTable>): SoftwareStatement => ({
  softwareId: row.software_id,
  organisationId: row.organisation_id,
  clientName: row.client_name,
  roles: row.roles,
  redirectUris: row.redirect_uris,
  status: row.status,
});

/**
 * The sandbox QTSP's private keys are sealed under the key-encryption key when the platform gives
 * a sealer (the local keystore), bound to their column; a key stored as a PEM (before sealing, or by
 * a tool without a sealer) reads as it is.
 */
function keyStore(sealer: KeySealer | undefined) {
  const context = (column: string) => `directory_ca.${column}:${SANDBOX_QTSP_ID}`;
  return {
    seal: (pem: string, column: string) => (sealer ? JSON.stringify(sealer.seal(pem, context(column))) : pem),
    open(stored: string, column: string): string {
      if (!stored.startsWith('{')) return stored;
      const sealed: unknown = JSON.parse(stored);
      if (!isSealed(sealed)) throw new Error(`directory_ca.${column} holds neither a PEM nor a sealed key`);
      if (!sealer) throw new Error('the sandbox QTSP keys are sealed and no key-encryption key is configured (KEY_ENCRYPTION_KEYS)');
      return sealer.open(sealed, context(column));
    },
  };
}

const qtspOf = (row: Selectable<DirectoryCaTable>, keys: ReturnType<typeof keyStore>): QtspRecord => ({
  rootCertificatePem: row.root_cert_pem,
  issuingCertificatePem: row.issuing_cert_pem,
  issuingKeyPem: keys.open(row.issuing_key_pem, 'issuing_key_pem'),
  directorySigningKeyPem: keys.open(row.directory_signing_key_pem, 'directory_signing_key_pem'),
  directorySigningKid: row.directory_signing_kid,
  createdAt: row.created_at,
});

async function insertCertificates(db: Kysely<DirectoryTables>, certificates: readonly CertificateRecord[]): Promise<void> {
  if (certificates.length > 0) await db.insertInto('directory_certificates').values(certificates.map(certificateRow)).execute();
}

/** The directory in its `directory_*` tables and the sandbox QTSP in `directory_ca`. */
export function createKyselyDirectoryRepository(database: Db, sealer?: KeySealer): DirectoryRepository {
  const keys = keyStore(sealer);
  const db = ownTables<DirectoryTables>(database);
  return {
    async findOrganisation(organisationId) {
      const row = await db.selectFrom('directory_organisations').selectAll().where('id', '=', organisationId).executeTakeFirst();
      return row && organisationOf(row);
    },
    listOrganisations: async () => (await db.selectFrom('directory_organisations').selectAll().orderBy('legal_name').orderBy('id').execute()).map(organisationOf),
    async setOrganisationStatus(organisationId, status, now) {
      const row = await db.updateTable('directory_organisations').set({ status, updated_at: now }).where('id', '=', organisationId).returningAll().executeTakeFirst();
      return row && organisationOf(row);
    },
    async findSoftwareStatement(softwareId) {
      const row = await db.selectFrom('directory_software_statements').selectAll().where('software_id', '=', softwareId).executeTakeFirst();
      return row && softwareStatementOf(row);
    },
    async addTpp({ organisation, softwareStatement: software, certificates }) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('directory_organisations').values(organisationRow(organisation)).execute();
        await trx
          .insertInto('directory_software_statements')
          .values({
            software_id: software.softwareId,
            organisation_id: software.organisationId,
            client_name: software.clientName,
            redirect_uris: JSON.stringify(software.redirectUris),
            roles: JSON.stringify(software.roles),
            jwks: JSON.stringify(software.jwks),
            status: software.status,
            created_at: software.createdAt,
          })
          .execute();
        await insertCertificates(trx, certificates);
      });
    },
    addCertificates: (certificates) => insertCertificates(db, certificates),
    async certificateStanding(serialNumber, organisationIdentifier) {
      const row = await db
        .selectFrom('directory_certificates as c')
        .leftJoin('directory_organisations as o', (join) => join.on('o.organization_identifier', '=', organisationIdentifier ?? ''))
        .select(['c.organisation_id as registered_to', 'c.sha256_thumbprint', 'c.revoked_at'])
        .selectAll('o')
        .where('c.serial_number', '=', serialNumber)
        .executeTakeFirst();
      if (!row) return undefined;
      const { registered_to: registeredTo, sha256_thumbprint: thumbprint, revoked_at: revokedAt, ...organisation } = row;
      return {
        registeredTo,
        thumbprint,
        revoked: revokedAt !== null,
        organisation: organisation.id === null ? undefined : organisationOf(organisation as Selectable<DirectoryOrganisationsTable>),
      };
    },
    async revokeCertificate(serialNumber, reason, now) {
      const row = await db.selectFrom('directory_certificates').select(['serial_number']).where('serial_number', '=', serialNumber).executeTakeFirst();
      if (!row) return false;
      await db
        .updateTable('directory_certificates')
        .set({ revoked_at: now, revocation_reason: reason })
        .where('serial_number', '=', serialNumber)
        .where('revoked_at', 'is', null)
        .execute();
      return true;
    },
    async certificateRevocation(serialNumber) {
      const row = await db.selectFrom('directory_certificates').select(['revoked_at']).where('serial_number', '=', serialNumber).executeTakeFirst();
      return row && { revokedAt: row.revoked_at };
    },
    async revokedCertificates(now) {
      const rows = await db
        .selectFrom('directory_certificates')
        .select(['serial_number', 'revoked_at', 'revocation_reason'])
        .where('revoked_at', 'is not', null)
        .where('not_after', '>', now)
        .orderBy('serial_number')
        .execute();
      return rows.map((row) => ({ serialNumber: row.serial_number, revokedAt: row.revoked_at ?? now, reason: row.revocation_reason }));
    },
    async publishSoftwareKey(softwareId, jwk) {
      await db
        .updateTable('directory_software_statements')
        .set({ jwks: sql`jsonb_set(jwks, '{keys}', coalesce(jwks->'keys', '[]'::jsonb) || ${JSON.stringify([jwk])}::jsonb)` })
        .where('software_id', '=', softwareId)
        .execute();
    },
    async softwareKeys(softwareId) {
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
      return software && { keys: software.jwks.keys as JWK[], revokedThumbprints: software.revoked };
    },
    async organisationCertificates(organisationId, now, { includeRevoked = false } = {}) {
      const organisation = await db.selectFrom('directory_organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
      if (!organisation) return undefined;
      const rows = await db
        .selectFrom('directory_certificates')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .$if(!includeRevoked, (query) => query.where('revoked_at', 'is', null))
        .where('not_after', '>', now)
        .orderBy('not_before')
        .orderBy('serial_number')
        .execute();
      return rows.map(certificateOf);
    },
    async warnOfExpiry(days, now, warningOf) {
      return db.transaction().execute(async (trx) => {
        const due = await trx
          .updateTable('directory_certificates')
          .set({ expiry_warned_days: days })
          .where('revoked_at', 'is', null)
          .where('not_after', '>', now)
          .where('not_after', '<=', new Date(now.getTime() + days * 86_400_000))
          .where((eb) => eb.or([eb('expiry_warned_days', 'is', null), eb('expiry_warned_days', '>', days)]))
          .returningAll()
          .execute();
        const certificates = due.map(certificateOf);
        if (certificates.length > 0) {
          const facts = await Promise.all(certificates.map(async (certificate) => ({ aggregateId: certificate.serialNumber, tppClientId: null, payload: await warningOf(certificate) })));
          await recordEvents(trx as never, CertificateExpiringV2, facts);
        }
        return certificates;
      });
    },
    async findQtsp() {
      const row = await db.selectFrom('directory_ca').selectAll().where('id', '=', SANDBOX_QTSP_ID).executeTakeFirst();
      return row && qtspOf(row, keys);
    },
    async addQtspIfAbsent(qtsp: QtspRecord) {
      await db
        .insertInto('directory_ca')
        .values({
          id: SANDBOX_QTSP_ID,
          root_cert_pem: qtsp.rootCertificatePem,
          issuing_cert_pem: qtsp.issuingCertificatePem,
          issuing_key_pem: keys.seal(qtsp.issuingKeyPem, 'issuing_key_pem'),
          directory_signing_key_pem: keys.seal(qtsp.directorySigningKeyPem, 'directory_signing_key_pem'),
          directory_signing_kid: qtsp.directorySigningKid,
          created_at: qtsp.createdAt,
        })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
    },
    async nextCrlNumber() {
      const { crl_number: crlNumber } = await db
        .updateTable('directory_ca')
        .set({ crl_number: sql<bigint>`crl_number + 1` })
        .where('id', '=', SANDBOX_QTSP_ID)
        .returning('crl_number')
        .executeTakeFirstOrThrow();
      return crlNumber;
    },
  };
}
