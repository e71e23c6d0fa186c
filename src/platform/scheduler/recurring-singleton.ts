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
 * The run after `job`, to schedule once per run: the slot after the one the run was meant for
 * (its `runAt`), never computed from when it was claimed. A pass with a clock ahead of the chain
 * (a test's future clock, a late worker) so moves the chain one slot per run rather than straight
 * to the clock's slot, and a chain that fell behind runs once per missed slot until it is level.
 */
export function nextSingletonRun(singleton: RecurringSingleton, job: Pick<ClaimedJob, 'runAt'>): NewJob<Record<string, never>> {
  return runOfSlot(singleton, slotOf(singleton, job.runAt) + 1);
}
