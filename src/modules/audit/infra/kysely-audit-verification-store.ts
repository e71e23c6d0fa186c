import { sql, type Kysely, type Selectable } from 'kysely';
import { createUnitOfWork, deleteInBatches, ownTables, transactionOf, type DatabaseSchema, type Db } from '../../../platform/db/index.ts';
import { scheduleJob } from '../../../platform/scheduler/index.ts';
import { SCHEDULED_VERIFICATION, VERIFICATION_JOB_KEY_PREFIX, type AuditVerificationStore, type VerificationRun, type VerificationRunStatus } from '../audit-verification-store.port.ts';
import type { AuditBreak, PartitionVerdict } from '../verify-audit-trail.ts';
import type { AuditTables, AuditVerificationsTable } from './audit.tables.ts';

/** A break as stored (jsonb has no bigint: its seq as a decimal string). */
interface StoredBreak {
  readonly partition: string;
  readonly seq: string;
  readonly kind: AuditBreak['kind'];
  readonly detail: string;
}

const storedBreak = (found: AuditBreak | undefined): string | null => (found ? JSON.stringify({ ...found, seq: found.seq.toString() } satisfies StoredBreak) : null);
const breakOf = (stored: unknown): AuditBreak | undefined => {
  if (stored === null || stored === undefined) return undefined;
  const value = (typeof stored === 'string' ? JSON.parse(stored) : stored) as StoredBreak;
  return { ...value, seq: BigInt(value.seq) };
};

/** A run's row with its job's status and last error (none: the job is gone, pruned once finished). */
type RunRow = Selectable<AuditVerificationsTable> & { readonly job_status: string | null; readonly job_error: string | null };

/**
 * A run as stored, except that one still queued or running whose job has ended is `failed`: the
 * scheduler fails a job whose worker stopped during its last attempt without running it again,
 * and nothing else would end the run.
 */
const runOf = (row: RunRow): VerificationRun => {
  const stalled = (row.status === 'queued' || row.status === 'running') && row.job_status !== 'pending' && row.job_status !== 'running';
  return {
    id: row.id,
    requestedBy: row.requested_by,
    requestedAt: new Date(row.requested_at),
    from: row.from_day ?? undefined,
    to: row.to_day ?? undefined,
    status: stalled ? 'failed' : (row.status as VerificationRunStatus),
    daysTotal: row.days_total ?? undefined,
    daysDone: row.days_done,
    records: Number(row.records),
    firstBreak: breakOf(row.first_break),
    error: stalled ? (row.job_error ?? 'its job ended without recording an outcome') : (row.error ?? undefined),
    startedAt: row.started_at === null ? undefined : new Date(row.started_at),
    finishedAt: row.finished_at === null ? undefined : new Date(row.finished_at),
  };
};

type Tables = AuditTables & Pick<DatabaseSchema, 'scheduled_jobs'>;

/** The runs, each with its job. */
const runsWithJobs = (db: Kysely<Tables>) =>
  db
    .selectFrom('audit_verifications as v')
    .leftJoin('scheduled_jobs as j', (join) => join.on(sql<boolean>`j.dedupe_key = ${VERIFICATION_JOB_KEY_PREFIX} || v.id`))
    .selectAll('v')
    .select(['j.status as job_status', 'j.last_error as job_error']);

export function createKyselyAuditVerificationStore(database: Db): AuditVerificationStore {
  const db = ownTables<Tables>(database);
  const unitOfWork = createUnitOfWork(database);
  return {
    request: (run, job, exclusive) =>
      unitOfWork.run(async (tx) => {
        const trx = transactionOf<Tables>(tx);
        if (exclusive) {
          // Two operators asking at once: one stores its run, the other sees it.
          await sql`SELECT pg_advisory_xact_lock(hashtext('audit-verification-request'))`.execute(trx);
          const underWay = await runsWithJobs(trx)
            .where('v.status', 'in', ['queued', 'running'])
            .where('v.requested_by', '<>', SCHEDULED_VERIFICATION)
            .where('j.status', 'in', ['pending', 'running'])
            .orderBy('v.requested_at')
            .limit(1)
            .executeTakeFirst();
          if (underWay) return { created: false, underWay: runOf(underWay) };
        }
        const inserted = await trx
          .insertInto('audit_verifications')
          .values({ id: run.id, requested_by: run.requestedBy, requested_at: run.requestedAt, from_day: run.from ?? null, to_day: run.to ?? null, status: 'queued', days_total: null, error: null })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted) await scheduleJob(transactionOf<DatabaseSchema>(tx), job, run.requestedAt);
        return { created: inserted !== undefined };
      }),
    async get(id) {
      const row = await runsWithJobs(db).where('v.id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const days = await db.selectFrom('audit_verification_days').selectAll().where('verification_id', '=', id).orderBy('partition').execute();
      return {
        ...runOf(row),
        days: days.map((day): PartitionVerdict => ({ partition: day.partition, status: day.status as PartitionVerdict['status'], records: Number(day.records), checkpoints: day.checkpoints, break: breakOf(day.break) })),
      };
    },
    async recent(limit) {
      return (await runsWithJobs(db).orderBy('v.requested_at', 'desc').orderBy('v.id').limit(limit).execute()).map(runOf);
    },
    async start(id, at) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('audit_verification_days').where('verification_id', '=', id).execute();
        await trx.updateTable('audit_verifications').set({ status: 'running', started_at: at, days_total: null, days_done: 0, records: 0n, first_break: null, error: null, finished_at: null }).where('id', '=', id).execute();
      });
    },
    async listed(id, daysTotal) {
      await db.updateTable('audit_verifications').set({ days_total: daysTotal }).where('id', '=', id).execute();
    },
    async day(id, verdict, records) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('audit_verification_days').values({ verification_id: id, partition: verdict.partition, status: verdict.status, records: BigInt(verdict.records), checkpoints: verdict.checkpoints, break: storedBreak(verdict.break) }).execute();
        await trx.updateTable('audit_verifications').set((eb) => ({ days_done: eb('days_done', '+', 1), records: BigInt(records) })).where('id', '=', id).execute();
      });
    },
    async progress(id, records) {
      await db.updateTable('audit_verifications').set({ records: BigInt(records) }).where('id', '=', id).execute();
    },
    async grownSinceVerified(from, to) {
      const rows = await db
        .selectFrom('audit_partitions as p')
        .select((eb) => [
          'p.partition',
          eb.selectFrom('audit_checkpoints as c').select((c) => c.fn.max('c.seq').as('seq')).whereRef('c.partition', '=', 'p.partition').as('head'),
          eb.selectFrom('audit_verification_days as d').select((d) => d.fn.max('d.records').as('records')).whereRef('d.partition', '=', 'p.partition').where('d.status', '=', 'intact').as('proved'),
        ])
        .where('p.partition', '>=', from)
        .where('p.partition', '<=', to)
        .where('p.expired_at', 'is', null)
        .orderBy('p.partition')
        .execute();
      return rows.filter((row) => row.head !== null && row.proved !== null && BigInt(row.head) > BigInt(row.proved)).map((row) => ({ day: row.partition, records: BigInt(row.head!) }));
    },
    async finish(id, outcome, at) {
      await db.updateTable('audit_verifications').set({ status: outcome.status, first_break: storedBreak(outcome.firstBreak), error: outcome.error ?? null, finished_at: at }).where('id', '=', id).execute();
    },
    forgetFinishedBefore: (before) =>
      // Their days go with them (ON DELETE CASCADE); a run still queued or running is kept, however old.
      deleteInBatches(async (limit) => {
        const batch = db.selectFrom('audit_verifications').select('id').where('requested_at', '<', before).where('finished_at', 'is not', null).limit(limit);
        return (await db.deleteFrom('audit_verifications').where('id', 'in', batch).executeTakeFirst()).numDeletedRows;
      }),
  };
}
