import type { NewJob } from '../../platform/scheduler/index.ts';
import type { AuditBreak, PartitionVerdict } from './verify-audit-trail.ts';

/** Who asks for the daily verification (AuditApi.requestVerification's `requestedBy`); any other is an operator. */
export const SCHEDULED_VERIFICATION = 'schedule';

/** A run's job is scheduled under this prefix and the run's id (its dedupe key). */
export const VERIFICATION_JOB_KEY_PREFIX = 'audit-verification:';

/** Where a verification run is: asked for, being read by a worker, or finished with its outcome. */
export type VerificationRunStatus = 'queued' | 'running' | 'intact' | 'broken' | 'failed';

/** A verification of the trail run by a worker: who asked, the range, its progress and outcome. */
export interface VerificationRun {
  readonly id: string;
  /** The operator who asked for it, or `schedule` for the daily verification. */
  readonly requestedBy: string;
  readonly requestedAt: Date;
  /** UTC days, inclusive; absent: from the first day, or to the last. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly status: VerificationRunStatus;
  /** The days the range holds, once the run has listed them. */
  readonly daysTotal?: number | undefined;
  readonly daysDone: number;
  /** Records proved so far (the day being read included). */
  readonly records: number;
  readonly firstBreak?: AuditBreak | undefined;
  /** Why the run failed (the database, not the chain). */
  readonly error?: string | undefined;
  readonly startedAt?: Date | undefined;
  readonly finishedAt?: Date | undefined;
}

/** A run with the verdict of each day it has read, in day order. */
export interface VerificationRunDetail extends VerificationRun {
  readonly days: readonly PartitionVerdict[];
}

/** The verification runs' storage (infra/kysely-audit-verification-store.ts). */
export interface AuditVerificationStore {
  /**
   * Stores a queued run and schedules its job in one transaction. `created` false: the id was
   * already stored, or (`exclusive`) a run asked for by an operator is queued or running — then
   * `underWay` is that run, and nothing is stored.
   */
  request(run: Pick<VerificationRun, 'id' | 'requestedBy' | 'requestedAt' | 'from' | 'to'>, job: NewJob<{ readonly id: string }>, exclusive: boolean): Promise<{ readonly created: boolean; readonly underWay?: VerificationRun | undefined }>;
  get(id: string): Promise<VerificationRunDetail | undefined>;
  /** The latest runs, newest first, without their days. */
  recent(limit: number): Promise<VerificationRun[]>;
  /** Marks the run started (again, after a worker stopped: what an earlier attempt saved is cleared). */
  start(id: string, at: Date): Promise<void>;
  listed(id: string, daysTotal: number): Promise<void>;
  /** A day's verdict, with the records proved so far. */
  day(id: string, verdict: PartitionVerdict, records: number): Promise<void>;
  progress(id: string, records: number): Promise<void>;
  /**
   * The days from `from` to `to` (UTC days, inclusive, not expired) proved intact by a run that
   * have records beyond the most any such run proved — written into the day after it was verified —
   * each with its records now (its chain's last seq).
   */
  grownSinceVerified(from: string, to: string): Promise<Array<{ readonly day: string; readonly records: bigint }>>;
  finish(id: string, outcome: { readonly status: 'intact' | 'broken' | 'failed'; readonly firstBreak?: AuditBreak | undefined; readonly error?: string | undefined }, at: Date): Promise<void>;
  /** Retention: deletes the finished runs asked for before `before`, with their days; returns how many runs. */
  forgetFinishedBefore(before: Date): Promise<number>;
}
