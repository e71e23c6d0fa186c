import type { NewJob } from './schedule-job.ts';
import type { ClaimedJob } from './scheduled-job.ts';

/**
 * Work with one run per interval across every worker (a clean-up, the consent expiry). Intervals
 * ("slots") are aligned on the epoch and each slot's run has a dedupe key naming its start, so any
 * number of workers may schedule it: one job exists, which the scheduler's lease gives to one.
 */
export interface RecurringSingleton {
  readonly kind: string;
  readonly everyMs: number;
  /** Attempts of one run (default: the scheduler's); the next slot's run comes anyway. */
  readonly maxAttempts?: number;
}

const slotOf = (singleton: RecurringSingleton, at: Date): number => Math.floor(at.getTime() / singleton.everyMs);

function runOfSlot(singleton: RecurringSingleton, slot: number): NewJob<Record<string, never>> {
  const runAt = new Date(slot * singleton.everyMs);
  return {
    kind: singleton.kind,
    dedupeKey: `${singleton.kind}@${runAt.toISOString()}`,
    runAt,
    payload: {},
    ...(singleton.maxAttempts === undefined ? {} : { maxAttempts: singleton.maxAttempts }),
  };
}

/** The run of the slot `at` falls in (due at once, to start a chain now) or, with `later`, of the next one. */
export function singletonRunAt(singleton: RecurringSingleton, at: Date, later = false): NewJob<Record<string, never>> {
  return runOfSlot(singleton, slotOf(singleton, at) + (later ? 1 : 0));
}

/**
 * The run after `job`, to schedule once per run: the slot after the later of the one the run was
 * meant for (its `runAt`) and the one it was claimed in. Each run does all the work due when it
 * runs, so a run claimed late (a worker back after downtime, a test's clock months ahead) does the
 * missed slots' work at once, and the chain resumes after it instead of running once per missed
 * slot (a year ahead would be half a million runs of a one-minute chain).
 */
export function nextSingletonRun(singleton: RecurringSingleton, job: Pick<ClaimedJob, 'runAt' | 'claimedAt'>): NewJob<Record<string, never>> {
  return runOfSlot(singleton, Math.max(slotOf(singleton, job.runAt), slotOf(singleton, job.claimedAt)) + 1);
}
