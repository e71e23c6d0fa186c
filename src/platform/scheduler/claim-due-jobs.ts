import { sql } from 'kysely';
import { prepared, type Db } from '../db/index.ts';
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

/** What the claim answers of each job it claimed or failed, and the status the job had before. */
const JOB_COLUMNS = [
  'scheduled_jobs.id',
  'scheduled_jobs.kind',
  'scheduled_jobs.dedupe_key',
  'scheduled_jobs.run_at',
  'scheduled_jobs.payload',
  'scheduled_jobs.attempts',
  'scheduled_jobs.max_attempts',
  'candidates.status as previous_status',
] as const;

/**
 * Claims up to `limit` due jobs in one statement: pending jobs whose time has come, and running
 * ones whose lease has passed (their worker died or hung). `FOR UPDATE SKIP LOCKED` lets any
 * number of workers claim side by side without waiting on, or taking, each other's rows. The
 * claim sets the lease and counts the attempt before anything runs, so a job that kills its
 * worker still uses up its attempts; one whose worker died during its last attempt is failed in
 * the same statement. On PGlite, a single connection, the same statement runs unchanged and
 * simply never meets a locked row.
 */
export async function claimDueJobs(db: Db, request: ClaimRequest): Promise<ClaimResult> {
  const { now } = request;
  if (request.kinds.length === 0 || request.limit < 1) return { jobs: [], takenOver: [], exhausted: [] };
  const rows = await db
    .with('candidates', (qc) =>
      qc
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
        .skipLocked(),
    )
    .with('exhausted', (qc) =>
      qc
        .updateTable('scheduled_jobs')
        .from('candidates')
        .set({ status: 'failed', locked_until: null, locked_by: null, finished_at: now, last_error: LEASE_EXPIRED_ON_LAST_ATTEMPT })
        .whereRef('scheduled_jobs.id', '=', 'candidates.id')
        .where('candidates.status', '=', 'running')
        .whereRef('candidates.attempts', '>=', 'candidates.max_attempts')
        .returning(JOB_COLUMNS),
    )
    .with('claimed', (qc) =>
      qc
        .updateTable('scheduled_jobs')
        .from('candidates')
        .set((eb) => ({
          status: 'running',
          attempts: eb('scheduled_jobs.attempts', '+', 1),
          locked_until: new Date(now.getTime() + request.leaseMs),
          locked_by: request.workerId,
        }))
        .whereRef('scheduled_jobs.id', '=', 'candidates.id')
        .where((eb) => eb.or([eb('candidates.status', '=', 'pending'), eb('candidates.attempts', '<', eb.ref('candidates.max_attempts'))]))
        .returning(JOB_COLUMNS),
    )
    .selectFrom('claimed')
    .select(['id', 'kind', 'dedupe_key', 'run_at', 'payload', 'attempts', 'max_attempts', 'previous_status', sql<boolean>`false`.as('exhausted')])
    .unionAll((eb) => eb.selectFrom('exhausted').select(['id', 'kind', 'dedupe_key', 'run_at', 'payload', 'attempts', 'max_attempts', 'previous_status', sql<boolean>`true`.as('exhausted')]))
    .modifyEnd(prepared())
    .execute();
  const exhausted = rows.filter((row) => row.exhausted).map((row) => row.id);
  const claimed = rows.filter((row) => !row.exhausted);
  const takenOver = claimed.filter((row) => row.previous_status === 'running').map((row) => row.id);
  const jobs = claimed
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
}
