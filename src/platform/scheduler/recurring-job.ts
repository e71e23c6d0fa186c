import type { Db } from '../db/index.ts';
import type { StandaloneJobHandler } from './job-handler.ts';
import { scheduleJob, type ScheduleResult } from './schedule-job.ts';

/** Work done every `everyMs` by one worker at a time, e.g. a clean-up. */
export interface RecurringJob {
  readonly kind: string;
  readonly everyMs: number;
  /** Must be idempotent: a worker that dies mid-run leaves the run to another after the lease. */
  run(now: Date): Promise<void>;
}

/** Attempts of one run; the next run comes at the next interval anyway. */
const RECURRING_MAX_ATTEMPTS = 3;

/**
 * Schedules the run of the interval after the one `now` falls in (intervals are aligned on the
 * epoch). Its dedupe key names that time, so every worker may call this at start and after each
 * run: one job per interval exists, which the scheduler's lease and fencing give to one worker.
 */
export function scheduleNextRun(db: Db, job: RecurringJob, now: Date = new Date()): Promise<ScheduleResult> {
  const runAt = new Date((Math.floor(now.getTime() / job.everyMs) + 1) * job.everyMs);
  return scheduleJob(db, { kind: job.kind, dedupeKey: `${job.kind}@${runAt.toISOString()}`, runAt, payload: {}, maxAttempts: RECURRING_MAX_ATTEMPTS }, now);
}

/**
 * The scheduler handler of a recurring job: it first schedules the next run, so a failing run does
 * not end the series, then does the work.
 */
export function recurringJobHandler(db: Db, job: RecurringJob, clock: () => Date = () => new Date()): StandaloneJobHandler {
  return {
    transactional: false,
    async run() {
      const now = clock();
      await scheduleNextRun(db, job, now);
      await job.run(now);
    },
  };
}
