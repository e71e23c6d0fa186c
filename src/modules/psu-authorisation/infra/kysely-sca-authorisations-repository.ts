import type { Selectable } from 'kysely';
import { executorOf, ownTables, type Db } from '../../../platform/db/index.ts';
import type { ScaAuthorisation, ScaPurpose, ScaStatus } from '../sca-authorisation.ts';
import type { ScaAuthorisationsRepository } from '../sca-authorisations.repository.port.ts';
import type { PsuAuthorisationTables, ScaAuthorisationsTable } from './psu-authorisation.tables.ts';

const fromRow = (row: Selectable<ScaAuthorisationsTable>): ScaAuthorisation => ({
  id: row.id,
  consentId: row.consent_id,
  clientId: row.client_id,
  purpose: row.purpose as ScaPurpose,
  status: row.status as ScaStatus,
  redirectUri: row.redirect_uri,
  nokRedirectUri: row.nok_redirect_uri,
  psuId: row.psu_id,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
  expiresAt: new Date(row.expires_at),
});

export function createKyselyScaAuthorisationsRepository(db: Db): ScaAuthorisationsRepository {
  const tables = () => ownTables<PsuAuthorisationTables>(db);
  return {
    async insert(sca) {
      await tables()
        .insertInto('sca_authorisations')
        .values({
          id: sca.id,
          consent_id: sca.consentId,
          client_id: sca.clientId,
          purpose: sca.purpose,
          status: sca.status,
          redirect_uri: sca.redirectUri,
          nok_redirect_uri: sca.nokRedirectUri,
          psu_id: sca.psuId,
          created_at: sca.createdAt,
          updated_at: sca.updatedAt,
          expires_at: sca.expiresAt,
        })
        .execute();
    },
    async find(id) {
      const row = await tables().selectFrom('sca_authorisations').selectAll().where('id', '=', id).executeTakeFirst();
      return row && fromRow(row);
    },
    async listOfConsent(consentId, purpose) {
      const rows = await tables().selectFrom('sca_authorisations').selectAll().where('consent_id', '=', consentId).where('purpose', '=', purpose).orderBy('created_at').execute();
      return rows.map(fromRow);
    },
    async advance(id, from, status, psuId, now, tx) {
      const row = await executorOf<PsuAuthorisationTables>(db, tx)
        .updateTable('sca_authorisations')
        .set({ status, updated_at: now, ...(psuId ? { psu_id: psuId } : {}) })
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .where('expires_at', '>', now)
        .where((eb) => (psuId ? eb.or([eb('psu_id', 'is', null), eb('psu_id', '=', psuId)]) : eb.lit(true)))
        .returningAll()
        .executeTakeFirst();
      return row && fromRow(row);
    },
  };
}
