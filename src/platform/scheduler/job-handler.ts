import type { Transaction } from 'kysely';
import type { DatabaseSchema, TxContext } from '../db/index.ts';
import type { ClaimedJob } from './scheduled-job.ts';

/**
 * Runs inside the transaction that marks the job done, with the job's row locked: the handler's
 * writes and `done` commit together or not at all, and no other worker can take the job over
 * while it runs. Exactly once for everything written through `trx`. Use only `trx` inside: on
 * PGlite the database has one connection, and a query through the outer `Db` would wait for this
 * very transaction.
 */
export interface TransactionalJobHandler<P = unknown> {
  readonly transactional: true;
  run(job: ClaimedJob<P>, trx: Transaction<DatabaseSchema>): Promise<void>;
}

/**
 * Runs outside any transaction, for work that cannot join the platform's (a call to a bank's core
 * system). At least once: a worker that dies after the work but before recording it leaves the
 * job to run again after its lease, so the work must be idempotent by the job's `dedupeKey` (the
 * core-banking port's `externalRef`, for example).
 */
export interface StandaloneJobHandler<P = unknown> {
  readonly transactional: false;
  run(job: ClaimedJob<P>, completion: JobCompletion, lease: JobLease): Promise<void>;
}

/**
 * The claim's lease, for a standalone job that may run longer than it (an audit verification):
 * renewing it while the work goes on keeps another worker from taking over a run that is alive.
 */
export interface JobLease {
  /** Moves the lease a whole lease ahead; false when another worker has taken the job over (stop: its writes are no longer this run's). */
  renew(): Promise<boolean>;
}

/**
 * Lets a standalone job mark itself done in its own last transaction, with its last writes: one
 * commit instead of two, and the job is done exactly when they are. Call it in the last
 * transaction only; the scheduler marks a job done itself when the handler returns without having
 * called it.
 */
export interface JobCompletion {
  in(tx: TxContext): Promise<void>;
}

/**
 * What the scheduler runs for one kind of job. Returning settles the job as done; throwing is a
 * failed attempt (retried with backoff, `failed` after the last one); throwing a
 * `PermanentJobError` fails it at once. A business outcome such as a rejected payment is not a
 * failure: record it and return.
 */
export type JobHandler<P = unknown> = TransactionalJobHandler<P> | StandaloneJobHandler<P>;
