import type { Db } from '../db/index.ts';
import type { ClaimedJob } from './scheduled-job.ts';

export interface ClaimRequest {
  /** Only kinds this worker has handlers for: a process never takes a job it cannot run. */
  readonly kinds: readonly string[];
  readonly now: Date;
  readonly leaseMs: number;
  readonly workerId: string;
  readonly limit: number;
}

export interface ClaimResult {
  /** Claimed for this worker, in due order. */
  readonly jobs: ClaimedJob[];
  /** Of those, the ones taken over from a worker whose lease had expired. */
  readonly takenOver: readonly string[];
  /** Ids of jobs whose worker died during their last attempt: now `failed`, not run again. */
  readonly exhausted: readonly string[];
}

export const LEASE_EXPIRED_ON_LAST_ATTEMPT = 'lease expired: the worker running the last attempt stopped before recording an outcome';

/**
 * Claims up to `limit` due jobs in one short transaction: pending jobs whose time has come, and
 * running ones whose lease has passed (their worker died or hung). `FOR UPDATE SKIP LOCKED` lets
 * any number of workers claim side by side without waiting on, or taking, each other's rows. The
 * claim sets the lease and counts the attempt before anything runs, so a job that kills its
 * worker still uses up its attempts. On PGlite, a single connection, the same statement runs
 * unchanged and simply never meets a locked row.
 */
export async function claimDueJobs(db: Db, request: ClaimRequest): Promise<ClaimResult> {
  const { now } = request;
  if (request.kinds.length === 0 || request.limit < 1) return { jobs: [], takenOver: [], exhausted: [] };
  return db.transaction().execute(async (trx) => {
    const candidates = await trx
      .selectFrom('scheduled_jobs')
      .select(['id', 'status', 'attempts', 'max_attempts'])
      .where('kind', 'in', request.kinds)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<=', now)]),
        ]),
      )
      .orderBy('run_at')
      .orderBy('id')
      .limit(request.limit)
      .forUpdate()
      .skipLocked()
      .execute();
    const exhausted = candidates.filter((c) => c.status === 'running' && c.attempts >= c.max_attempts).map((c) => c.id);
    const claimable = candidates.filter((c) => !exhausted.includes(c.id));
    const takenOver = claimable.filter((c) => c.status === 'running').map((c) => c.id);
    if (exhausted.length > 0) {
      await trx
        .updateTable('scheduled_jobs')
        .set({ status: 'failed', locked_until: null, locked_by: null, finished_at: now, last_error: LEASE_EXPIRED_ON_LAST_ATTEMPT })
        .where('id', 'in', exhausted)
        .execute();
    }
    if (claimable.length === 0) return { jobs: [], takenOver, exhausted };
    const rows = await trx
      .updateTable('scheduled_jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        locked_until: new Date(now.getTime() + request.leaseMs),
        locked_by: request.workerId,
      }))
      .where(
        'id',
        'in',
        claimable.map((c) => c.id),
      )
      .returningAll()
      .execute();
    const jobs = rows
      .sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(
        (row): ClaimedJob => ({
          id: row.id,
          kind: row.kind,
          dedupeKey: row.dedupe_key,
          runAt: row.run_at,
          payload: row.payload,
          attempt: row.attempts,
          maxAttempts: row.max_attempts,
          claimedAt: now,
        }),
      );
    return { jobs, takenOver, exhausted };
  });
}
