import type { Insertable, Selectable } from 'kysely';
import { ownTables, transactionOf, type Db } from '../../../platform/db/index.ts';
import { recordEventsIn } from '../../../platform/events/index.ts';
import { RegisterStandingChangedV1 } from '../registers/register-events.ts';
import type { TppRole } from '../directory-model.ts';
import type { RegisterDiff, RegisterName } from '../registers/register-model.ts';
import type { RegistersRepository, StoredRegisterEntity } from '../registers/registers.repository.port.ts';
import type { DirectoryTables, RegisterEntitiesTable } from './directory.tables.ts';

/** Rows written per statement: well under PostgreSQL's 65,535 bind parameters (13 per row). */
const BATCH = 1000;

const entityOf = (row: Selectable<RegisterEntitiesTable>): StoredRegisterEntity => ({
  register: row.register as RegisterName,
  entityCode: row.entity_code,
  organizationIdentifier: row.organization_identifier,
  name: row.name,
  entityType: row.entity_type,
  homeCountry: row.home_country,
  authorised: row.authorised,
  authorisedFrom: row.authorised_from ?? undefined,
  withdrawnOn: row.withdrawn_on ?? undefined,
  services: row.services as Record<string, TppRole[]>,
  listed: row.listed,
  updatedAt: row.updated_at,
});

export function createKyselyRegistersRepository(database: Db): RegistersRepository {
  const db = ownTables<DirectoryTables>(database);
  return {
    async heldEntities(register) {
      const rows = await db
        .selectFrom('register_entities')
        .select(['entity_code', 'content_hash', 'authorised', 'listed', 'organization_identifier', 'name'])
        .where('register', '=', register)
        .execute();
      return new Map(
        rows.map((row) => [row.entity_code, { contentHash: row.content_hash, authorised: row.authorised, listed: row.listed, organizationIdentifier: row.organization_identifier, name: row.name }]),
      );
    },
    async saveEntities(tx, entities, now) {
      const trx = transactionOf<DirectoryTables>(tx);
      for (let start = 0; start < entities.length; start += BATCH) {
        const rows = entities.slice(start, start + BATCH).map(
          (entity): Insertable<RegisterEntitiesTable> => ({
            register: entity.register,
            entity_code: entity.entityCode,
            organization_identifier: entity.organizationIdentifier,
            name: entity.name,
            entity_type: entity.entityType,
            home_country: entity.homeCountry,
            authorised: entity.authorised,
            authorised_from: entity.authorisedFrom ?? null,
            withdrawn_on: entity.withdrawnOn ?? null,
            services: JSON.stringify(entity.services),
            listed: true,
            content_hash: entity.contentHash,
            updated_at: now,
          }),
        );
        await trx
          .insertInto('register_entities')
          .values(rows)
          .onConflict((conflict) =>
            conflict.columns(['register', 'entity_code']).doUpdateSet((eb) => ({
              organization_identifier: eb.ref('excluded.organization_identifier'),
              name: eb.ref('excluded.name'),
              entity_type: eb.ref('excluded.entity_type'),
              home_country: eb.ref('excluded.home_country'),
              authorised: eb.ref('excluded.authorised'),
              authorised_from: eb.ref('excluded.authorised_from'),
              withdrawn_on: eb.ref('excluded.withdrawn_on'),
              services: eb.ref('excluded.services'),
              listed: eb.ref('excluded.listed'),
              content_hash: eb.ref('excluded.content_hash'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    },
    async markUnlisted(tx, register, entityCodes, withdrawnOn, now) {
      const trx = transactionOf<DirectoryTables>(tx);
      for (let start = 0; start < entityCodes.length; start += BATCH) {
        await trx
          .updateTable('register_entities')
          .set({ listed: false, authorised: false, withdrawn_on: withdrawnOn, content_hash: 'unlisted', updated_at: now })
          .where('register', '=', register)
          .where('entity_code', 'in', entityCodes.slice(start, start + BATCH))
          .execute();
      }
    },
    async recordSync(tx, sync, changes) {
      const { diff } = sync;
      await transactionOf<DirectoryTables>(tx)
        .insertInto('register_syncs')
        .values({
          id: sync.id,
          register: sync.register,
          source: sync.source,
          started_at: sync.startedAt,
          finished_at: sync.finishedAt,
          total: diff.total,
          added: diff.counts.added,
          withdrawn: diff.counts.withdrawn,
          changed: diff.counts.changed,
          unchanged: diff.counts.unchanged,
          report: JSON.stringify(diff),
        })
        .execute();
      for (let start = 0; start < changes.length; start += BATCH) {
        const facts = changes.slice(start, start + BATCH).map((change) => ({ aggregateId: `${change.register}:${change.entityCode}`, tppClientId: null, payload: change, occurredAt: sync.finishedAt }));
        await recordEventsIn(tx, RegisterStandingChangedV1, facts);
      }
    },
    async entitiesByIdentifier(organizationIdentifier) {
      const rows = await db.selectFrom('register_entities').selectAll().where('organization_identifier', '=', organizationIdentifier).orderBy('register').execute();
      return rows.map(entityOf);
    },
    async latestSyncs(limit) {
      const rows = await db.selectFrom('register_syncs').selectAll().orderBy('finished_at', 'desc').limit(limit).execute();
      return rows.map((row) => ({
        id: row.id,
        register: row.register as RegisterName,
        source: row.source,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        diff: row.report as RegisterDiff,
      }));
    },
  };
}
