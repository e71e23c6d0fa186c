import type { ExpressionBuilder, Kysely, Transaction, UpdateObject } from 'kysely';
import type { DatabaseSchema } from '../db/index.ts';
import type { ClaimedJob } from './scheduled-job.ts';

type Executor = Transaction<DatabaseSchema> | Kysely<DatabaseSchema>;
type JobUpdate = UpdateObject<DatabaseSchema, 'scheduled_jobs'>;

/*
 * Every write after the claim is fenced by (locked_by, attempts): once another worker has taken a
 * job over after an expired lease, the attempt counter has moved on and the first worker's late
 * writes match no row. Whoever settles first wins; the other learns it lost the job.
 */

/**
 * Locks the job's row for the rest of the caller's transaction if this worker still holds the
 * claim. While the lock is held no other worker can claim the job (their claims skip locked rows),
 * however long the handler takes.
 */
export async function lockClaim(trx: Transaction<DatabaseSchema>, job: ClaimedJob, workerId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('scheduled_jobs')
    .select('id')
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', workerId)
    .where('attempts', '=', job.attempt)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function completeClaim(db: Executor, job: ClaimedJob, workerId: string, at: Date): Promise<boolean> {
  return updateHeldClaim(db, job, workerId, { status: 'done', locked_until: null, locked_by: null, finished_at: at });
}

/** `completeClaim` for several jobs in one statement; answers the ids of those still held, now done. */
export async function completeClaims(db: Executor, claims: ReadonlyArray<{ readonly job: ClaimedJob; readonly workerId: string }>, at: Date): Promise<Set<string>> {
  const rows = await db
    .updateTable('scheduled_jobs')
    .set({ status: 'done', locked_until: null, locked_by: null, finished_at: at })
    .where('status', '=', 'running')
    .where((eb) => eb.or(claims.map(({ job, workerId }) => eb.and([eb('id', '=', job.id), eb('locked_by', '=', workerId), eb('attempts', '=', job.attempt)]))))
    .returning('id')
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** Records a failed attempt: pending again at `retryAt`, or `failed` when `retryAt` is undefined. */
export async function failClaim(
  db: Executor,
  job: ClaimedJob,
  workerId: string,
  outcome: { at: Date; error: string; retryAt: Date | undefined },
): Promise<boolean> {
  return updateHeldClaim(
    db,
    job,
    workerId,
    outcome.retryAt
      ? { status: 'pending', run_at: outcome.retryAt, locked_until: null, locked_by: null, last_error: outcome.error }
      : { status: 'failed', locked_until: null, locked_by: null, finished_at: outcome.at, last_error: outcome.error },
  );
}

/** Moves the lease of a claim this worker still holds to `until`; false when it lost the job. */
export async function renewClaim(db: Executor, job: ClaimedJob, workerId: string, until: Date): Promise<boolean> {
  return updateHeldClaim(db, job, workerId, { locked_until: until });
}

/** Hands back a claimed job that never started (the scheduler is stopping): the claim does not count as an attempt. */
export async function releaseClaim(db: Executor, job: ClaimedJob, workerId: string): Promise<boolean> {
  return updateHeldClaim(db, job, workerId, (eb) => ({ status: 'pending', attempts: eb('attempts', '-', 1), locked_until: null, locked_by: null }));
}

/** Updates the job's row only while this worker still holds the claim; false when it lost the job. */
async function updateHeldClaim(
  db: Executor,
  job: ClaimedJob,
  workerId: string,
  values: JobUpdate | ((eb: ExpressionBuilder<DatabaseSchema, 'scheduled_jobs'>) => JobUpdate),
): Promise<boolean> {
  const result = await db
    .updateTable('scheduled_jobs')
    .set(values)
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', workerId)
    .where('attempts', '=', job.attempt)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
