import type { Db } from '../db/index.ts';
import type { StandaloneJobHandler } from './job-handler.ts';
import { nextSingletonRun, singletonRunAt, type RecurringSingleton } from './recurring-singleton.ts';
import { scheduleJob, type ScheduleResult } from './schedule-job.ts';

/** Work done every `everyMs` by one worker at a time, e.g. a clean-up. */
export interface RecurringJob extends RecurringSingleton {
  /** Must be idempotent: a worker that dies mid-run leaves the run to another after the lease. */
  run(now: Date): Promise<void>;
}

/** Attempts of one run; the next run comes at the next interval anyway. */
const RECURRING_MAX_ATTEMPTS = 3;

const singleton = (job: RecurringJob): RecurringSingleton => ({ kind: job.kind, everyMs: job.everyMs, maxAttempts: job.maxAttempts ?? RECURRING_MAX_ATTEMPTS });

/**
 * Schedules the run of the interval after the one `now` falls in. Every worker may call this at
 * start: one job per interval exists, which the scheduler's lease and fencing give to one worker.
 */
export function scheduleNextRun(db: Db, job: RecurringJob, now: Date = new Date()): Promise<ScheduleResult> {
  return scheduleJob(db, singletonRunAt(singleton(job), now, true), now);
}

/**
 * The scheduler handler of a recurring job: it first schedules the run of the interval after this
 * run's own, so a failing run does not end the series, then does the work.
 */
export function recurringJobHandler(db: Db, job: RecurringJob, clock: () => Date = () => new Date()): StandaloneJobHandler {
  return {
    transactional: false,
    async run(claimed) {
      const now = clock();
      await scheduleJob(db, nextSingletonRun(singleton(job), claimed), now);
      await job.run(now);
    },
  };
}
