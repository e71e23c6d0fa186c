import type { Row, ScheduledJobStatus } from '../db/index.ts';

/** A job as stored: what `findJob` answers, for status pages and tests. */
export interface ScheduledJob<P = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly dedupeKey: string;
  readonly runAt: Date;
  readonly payload: P;
  readonly status: ScheduledJobStatus;
  /** Claims so far, the one in progress included. */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly lockedUntil: Date | null;
  readonly lockedBy: string | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

/** A job a worker has claimed and hands to the handler of its kind. */
export interface ClaimedJob<P = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly dedupeKey: string;
  /** When the job was due: the business date of a scheduled payment or instalment. */
  readonly runAt: Date;
  readonly payload: P;
  /** 1 on the first run; a retry, or a take-over after a lease expired, counts up. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The scheduler's clock when the job was claimed (the injected one in tests). */
  readonly claimedAt: Date;
}

export function toScheduledJob<P>(row: Row<'scheduled_jobs'>): ScheduledJob<P> {
  return {
    id: row.id,
    kind: row.kind,
    dedupeKey: row.dedupe_key,
    runAt: row.run_at,
    payload: row.payload as P,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedUntil: row.locked_until,
    lockedBy: row.locked_by,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
