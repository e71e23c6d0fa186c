import { ownTables, type Db } from '../../../platform/db/index.ts';
import { x509 } from '../../../platform/tls/index.ts';
import type { QualifiedUse, TrustedService } from '../trust-lists/trusted-list-model.ts';
import type { TrustedListsRepository } from '../trust-lists/trusted-lists.repository.port.ts';
import type { DirectoryTables } from './directory.tables.ts';

/** Rows per statement: 10 bind parameters each. */
const BATCH = 500;

export function createKyselyTrustedListsRepository(database: Db): TrustedListsRepository {
  const db = ownTables<DirectoryTables>(database);
  return {
    async replaceList(list, now) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('trusted_services').where('territory', '=', list.territory).execute();
        const row = {
          sequence_number: list.sequenceNumber,
          issued_at: list.issuedAt,
          next_update: list.nextUpdate ?? null,
          source: list.source,
          signer_pem: list.signerPem ?? null,
          service_count: list.services.length,
          imported_at: now,
        };
        await trx
          .insertInto('trusted_lists')
          .values({ territory: list.territory, ...row })
          .onConflict((conflict) => conflict.column('territory').doUpdateSet(row))
          .execute();
        for (let start = 0; start < list.services.length; start += BATCH) {
          const rows = list.services.slice(start, start + BATCH).map((service, index) => ({
            territory: list.territory,
            position: start + index,
            provider_name: service.providerName,
            service_name: service.serviceName,
            service_type: service.serviceType,
            certificate_subject: new x509.X509Certificate(service.certificatePem).subject,
            certificate_pem: service.certificatePem,
            uses: JSON.stringify(service.uses),
            statuses: JSON.stringify(service.statuses.map((period) => ({ status: period.status, from: period.from.toISOString() }))),
          }));
          await trx.insertInto('trusted_services').values(rows).execute();
        }
      });
    },
    async heldLists() {
      const rows = await db.selectFrom('trusted_lists').selectAll().orderBy('territory').execute();
      return rows.map((row) => ({
        territory: row.territory,
        sequenceNumber: row.sequence_number,
        issuedAt: row.issued_at,
        nextUpdate: row.next_update ?? undefined,
        source: row.source,
        signerPem: row.signer_pem ?? undefined,
        serviceCount: row.service_count,
        importedAt: row.imported_at,
      }));
    },
    async servicesWithSubject(subject) {
      const rows = await db.selectFrom('trusted_services').selectAll().where('certificate_subject', '=', subject).orderBy('territory').orderBy('position').execute();
      return rows.map(
        (row): TrustedService => ({
          territory: row.territory,
          providerName: row.provider_name,
          serviceName: row.service_name,
          serviceType: row.service_type,
          certificatePem: row.certificate_pem,
          uses: row.uses as QualifiedUse[],
          statuses: row.statuses.map((period) => ({ status: period.status, from: new Date(period.from) })),
        }),
      );
    },
  };
}
