import { sql, type Kysely, type Selectable } from 'kysely';
import { ownTables, type Db, type PgConnectionRunner } from '../../../platform/db/index.ts';
import { appendWithCopy } from './copy-audit-records.ts';
import type { AuditActivity, AuditCheckpoint, AuditRecord } from '../audit-record.ts';
import type { AuditReader, AuditRepository, ChainHead, PartitionRow } from '../audit.repository.port.ts';
import type { AuditCheckpointsTable, AuditRecordsTable, AuditTables } from './audit.tables.ts';

/** The columns of a record but its hashes (`activity`). */
const ACTIVITY_COLUMNS = ['partition', 'seq', 'at', 'kind', 'action', 'outcome', 'client_id', 'organisation_id', 'consent_id', 'psu_id', 'interaction_id', 'details'] as const;

const recordOf = (row: Selectable<AuditRecordsTable>): AuditRecord => ({ ...activityOf(row), prevHash: row.prev_hash, hash: row.hash });

const activityOf = (row: Pick<Selectable<AuditRecordsTable>, (typeof ACTIVITY_COLUMNS)[number]>): AuditActivity => ({
  partition: row.partition,
  seq: BigInt(row.seq),
  at: row.at,
  kind: row.kind,
  action: row.action,
  outcome: row.outcome,
  clientId: row.client_id,
  organisationId: row.organisation_id,
  consentId: row.consent_id,
  psuId: row.psu_id,
  interactionId: row.interaction_id,
  details: row.details,
});

const checkpointOf = (row: Selectable<AuditCheckpointsTable>): AuditCheckpoint => ({ partition: row.partition, seq: BigInt(row.seq), hash: row.hash, at: new Date(row.at), jws: row.jws });

/**
 * Writes records as one JSON document per statement, expanded by PostgreSQL into rows of the
 * table's own types (`json_populate_recordset`): one round trip and one parameter however many
 * rows, serialised natively on both sides, the fastest insert short of COPY that both PostgreSQL
 * and the embedded database take.
 */
async function insertRecords(db: Kysely<AuditTables>, records: readonly AuditRecord[]): Promise<void> {
  const rows = records.map((r) => ({
    partition: r.partition,
    seq: r.seq.toString(),
    at: r.at.toISOString(),
    kind: r.kind,
    action: r.action,
    outcome: r.outcome,
    client_id: r.clientId,
    organisation_id: r.organisationId,
    consent_id: r.consentId,
    psu_id: r.psuId,
    interaction_id: r.interactionId,
    details: r.details,
    prev_hash: r.prevHash,
    hash: r.hash,
  }));
  await sql`INSERT INTO audit_records SELECT * FROM json_populate_recordset(null::audit_records, ${JSON.stringify(rows)}::json)`.execute(db);
}

function readerOver(db: Kysely<AuditTables>): AuditReader {
  return {
    async partitions(from, to) {
      const within = (column: 'partition') => sql`${sql.ref(column)} BETWEEN ${from ?? '0000-00-00'} AND ${to ?? '9999-99-99'}`;
      const result = await sql<{ partition: string; listed: boolean; expired_at: Date | null }>`
        SELECT p.partition, l.partition IS NOT NULL AS listed, l.expired_at
        FROM (
          SELECT partition FROM audit_partitions WHERE ${within('partition')}
          UNION SELECT DISTINCT partition FROM audit_checkpoints WHERE ${within('partition')}
          UNION SELECT DISTINCT partition FROM audit_records WHERE ${within('partition')}
        ) p LEFT JOIN audit_partitions l ON l.partition = p.partition
        ORDER BY p.partition`.execute(db);
      return result.rows.map((row): PartitionRow => ({ partition: row.partition, listed: row.listed, expiredAt: row.expired_at === null ? null : new Date(row.expired_at) }));
    },
    async records(partition, afterSeq, limit) {
      const rows = await db.selectFrom('audit_records').selectAll().where('partition', '=', partition).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
      return rows.map(recordOf);
    },
    async checkpoints(partition, afterSeq, uptoSeq) {
      let query = db.selectFrom('audit_checkpoints').selectAll().where('partition', '=', partition).where('seq', '>', afterSeq);
      if (uptoSeq !== undefined) query = query.where('seq', '<=', uptoSeq);
      return (await query.orderBy('seq').execute()).map(checkpointOf);
    },
    async seqOfHash(partition, hash) {
      const row = await db.selectFrom('audit_records').select('seq').where('partition', '=', partition).where('hash', '=', hash).executeTakeFirst();
      return row ? BigInt(row.seq) : undefined;
    },
  };
}

/** The audit reader over a database or a transaction already open (tests read what they tamper with). */
export function auditReaderOver(db: Db): AuditReader {
  return readerOver(ownTables<AuditTables>(db));
}

/** The repository; on PostgreSQL, given a pooled connection (`pgConnection`), records are appended with COPY. */
export function createKyselyAuditRepository(database: Db, pgConnection?: PgConnectionRunner): AuditRepository {
  const db = ownTables<AuditTables>(database);
  return {
    async append(partition, extend) {
      if (pgConnection) return pgConnection((client) => appendWithCopy(client, partition, extend));
      await db.transaction().execute(async (trx) => {
        // One writer per partition at a time, across every instance: the chain is a sequence.
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`audit:${partition}`}))`.execute(trx);
        await trx.insertInto('audit_partitions').values({ partition, created_at: new Date() }).onConflict((oc) => oc.column('partition').doNothing()).execute();
        const last = await trx.selectFrom('audit_checkpoints').select(['seq', 'hash']).where('partition', '=', partition).orderBy('seq', 'desc').limit(1).executeTakeFirst();
        const batch = extend(last ? { seq: BigInt(last.seq), hash: last.hash } : ({ seq: 0n, hash: '' } satisfies ChainHead));
        await insertRecords(trx, [...batch.records]);
        const checkpoint = await batch.checkpoint();
        await trx.insertInto('audit_checkpoints').values({ partition, seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, jws: checkpoint.jws }).execute();
      });
    },
    snapshot: (read) => db.transaction().setIsolationLevel('repeatable read').execute((trx) => read(readerOver(trx))),
    async search(query, limit, order, after) {
      let select = db.selectFrom('audit_records').selectAll();
      if (query.clientId) select = select.where('client_id', '=', query.clientId);
      if (query.organisationId) select = select.where('organisation_id', '=', query.organisationId);
      if (query.consentId) select = select.where('consent_id', '=', query.consentId);
      if (query.psuId) select = select.where('psu_id', '=', query.psuId);
      if (query.interactionId) select = select.where('interaction_id', '=', query.interactionId);
      if (query.kind) select = select.where('kind', '=', query.kind);
      if (query.from) select = select.where('at', '>=', query.from);
      if (query.to) select = select.where('at', '<', query.to);
      if (after) {
        const beyond = order === 'desc' ? '<' : '>';
        select = select.where(sql<boolean>`(at, partition, seq) ${sql.raw(beyond)} (${after.at}, ${after.partition}, ${after.seq.toString()}::bigint)`);
      }
      const rows = await select.orderBy('at', order).orderBy('partition', order).orderBy('seq', order).limit(limit).execute();
      return rows.map(recordOf);
    },
    async activity(window, limit, after) {
      let select = db.selectFrom('audit_records').select(ACTIVITY_COLUMNS).where('at', '>=', window.from).where('at', '<', window.to);
      if (after) select = select.where(sql<boolean>`(at, partition, seq) > (${after.at}, ${after.partition}, ${after.seq.toString()}::bigint)`);
      const rows = await select.orderBy('at').orderBy('partition').orderBy('seq').limit(limit).execute();
      return rows.map(activityOf);
    },
    async partitionsBefore(before) {
      const rows = await db.selectFrom('audit_partitions').select('partition').where('partition', '<', before).where('expired_at', 'is', null).orderBy('partition').execute();
      return rows.map((row) => row.partition);
    },
    async expire(partition, now) {
      return db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`audit:${partition}`}))`.execute(trx);
        const deleted = await trx.deleteFrom('audit_records').where('partition', '=', partition).executeTakeFirst();
        const last = await trx.selectFrom('audit_checkpoints').select('seq').where('partition', '=', partition).orderBy('seq', 'desc').limit(1).executeTakeFirst();
        if (last) await trx.deleteFrom('audit_checkpoints').where('partition', '=', partition).where('seq', '<', last.seq).execute();
        await trx.updateTable('audit_partitions').set({ expired_at: now }).where('partition', '=', partition).execute();
        return Number(deleted.numDeletedRows);
      });
    },
  };
}
