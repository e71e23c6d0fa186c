import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import { ClaimCompletion } from './claim-completion.ts';
import { claimDueJobs } from './claim-due-jobs.ts';
import { findJob } from './find-job.ts';
import type { JobHandler } from './job-handler.ts';
import { PermanentJobError } from './permanent-job-error.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-delay.ts';
import type { ClaimedJob } from './scheduled-job.ts';
import { completeClaim, failClaim, lockClaim, releaseClaim, renewClaim } from './settle-claim.ts';

export interface SchedulerOptions {
  /** Pause between two looks for due jobs while started; default 1 s. */
  readonly pollMs?: number;
  /**
   * How long a claim keeps other workers off a job; default 5 min. A standalone handler that runs
   * longer may be run a second time by another worker, so keep it above the slowest run.
   * Transactional handlers hold their job's row lock instead and are not limited by it.
   */
  readonly leaseMs?: number;
  /** Jobs claimed per round trip; default 20. */
  readonly batchSize?: number;
  /**
   * Jobs claimed and under way at the same time; default 4. A standalone job that waits (for the
   * core, or for a group of its kind to run together) holds no database connection meanwhile.
   */
  readonly concurrency?: number;
  /** Of those, transactional jobs running at the same time, each holding a connection; default the smaller of 4 and `concurrency`. */
  readonly transactionalConcurrency?: number;
  readonly retry?: RetryPolicy;
  /** Names this worker in `locked_by`; default host/pid/random, unique per instance. */
  readonly workerId?: string;
  /** The time used for due dates, leases and outcomes; tests inject one. */
  readonly clock?: () => Date;
}

export interface RunReport {
  done: number;
  /** Failed attempts that will be tried again. */
  retried: number;
  /** Jobs that went to `failed`: last attempt failed, permanent error, or worker died on the last attempt. */
  failed: number;
  /** Runs whose claim another worker had taken over (expired lease) before this one could record them. */
  lost: number;
  /** Claimed jobs handed back unstarted because the scheduler was stopping. */
  released: number;
}

/**
 * Runs durable jobs at their time, in any number of processes. Each pass claims due jobs for the
 * kinds this instance has handlers for (see `claimDueJobs`), runs each with its handler and
 * records the outcome under the claim's fence: done, retry with exponential backoff, or `failed`
 * after the last attempt. `start()` polls; `runDue(now)` does one complete pass, for tests with an
 * injected clock and for callers that want work done now. `stop()` claims nothing more, hands back
 * claimed jobs that have not started and waits for the running ones.
 */
export class Scheduler {
  readonly workerId: string;
  private readonly handlers = new Map<string, JobHandler>();
  /** Kinds this worker runs at most so many of at once (`register`'s `maxRunning`). */
  private readonly maxRunning = new Map<string, number>();
  private readonly clock: () => Date;
  /** Runs transactional jobs, each holding a connection, a few at a time. */
  private readonly transactionSlots: LimitFunction;
  private readonly passes = new Set<Promise<RunReport>>();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopping = false;
  private failures = 0;
  /** The pass started by the poll or a wake-up, while it runs. */
  private live: { readonly more: () => void; readonly done: Promise<RunReport> } | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions = {},
  ) {
    for (const name of ['pollMs', 'leaseMs', 'batchSize', 'concurrency', 'transactionalConcurrency'] as const) {
      const value = options[name];
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    this.workerId = options.workerId ?? `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
    this.clock = options.clock ?? (() => new Date());
    this.transactionSlots = pLimit(options.transactionalConcurrency ?? Math.min(4, options.concurrency ?? 4));
  }

  /**
   * Registers the handler of a kind; one per kind. `maxRunning`: jobs of the kind this worker runs
   * at once, so that long jobs (an audit verification) cannot take every lane from the short ones
   * (payments); due jobs beyond it wait, pending, for a run of the kind to end.
   */
  register<P>(kind: string, handler: JobHandler<P>, options: { readonly maxRunning?: number } = {}): this {
    if (this.handlers.has(kind)) throw new Error(`a handler for job kind ${kind} is already registered`);
    if (options.maxRunning !== undefined) {
      if (!(Number.isInteger(options.maxRunning) && options.maxRunning > 0)) throw new RangeError(`maxRunning must be a positive integer, got ${options.maxRunning}`);
      this.maxRunning.set(kind, options.maxRunning);
    }
    this.handlers.set(kind, handler as JobHandler);
    return this;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  /** Graceful: no new claims, unstarted claims handed back, running jobs awaited. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopping = true;
    try {
      await Promise.allSettled([...this.passes]);
    } finally {
      this.stopping = false;
    }
  }

  /**
   * Runs every job due at `now` (default: the clock, read again for each claim) until none is
   * left for this instance; jobs other workers hold are left to them.
   */
  runDue(now?: Date): Promise<RunReport> {
    return this.track(this.pass(now, undefined));
  }

  private track(pass: Promise<RunReport>): Promise<RunReport> {
    this.passes.add(pass);
    void pass.then(
      () => this.passes.delete(pass),
      () => this.passes.delete(pass),
    );
    return pass;
  }

  /**
   * A look for due jobs now, for a wake-up (`JobWake`), while started. Wake-ups coalesce: while a
   * pass of the poll or of an earlier wake-up runs, it is told to claim again as soon as it has a
   * free lane, so a job announced then starts as soon as a lane is free, without a second pass.
   */
  nudge(): void {
    if (!this.started) return;
    if (this.live) {
      this.live.more();
      return;
    }
    this.look().catch((err: unknown) => this.logger.warn({ err }, 'scheduler pass on a wake-up failed; due jobs wait for the next poll'));
  }

  /** The live pass, told to look again; a new one when none runs. */
  private look(): Promise<RunReport> {
    if (this.live) {
      this.live.more();
      return this.live.done;
    }
    const signal = new MoreSignal();
    const done = this.track(this.pass(undefined, signal));
    const live = { more: () => signal.raise(), done };
    this.live = live;
    const end = () => {
      if (this.live === live) this.live = undefined;
      // A wake-up that reached the pass after its last claim, as it was ending: look again.
      if (signal.raised) this.nudge();
    };
    void done.then(end, end);
    return done;
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.look().then(
        () => {
          if (this.failures > 0) this.logger.info('scheduler recovered');
          this.failures = 0;
          this.schedule(this.pollMs);
        },
        (error: unknown) => {
          this.failures += 1;
          if (this.failures === 1 || this.failures % 20 === 0) {
            this.logger.warn({ err: error, failures: this.failures }, 'scheduler pass failed; due jobs wait for the next one');
          }
          this.schedule(Math.min(this.pollMs * 2 ** this.failures, 60_000));
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 5 * 60_000;
  }

  private get pollMs(): number {
    return this.options.pollMs ?? 1000;
  }

  /**
   * Claims continuously: whenever a lane is free and jobs may be due, it claims as many as there
   * are free lanes (at most `batchSize`) and starts each at once, so a job never waits for the
   * others of its claim to finish, and a claimed job never waits unstarted. Jobs may be due again
   * after a claim that came back short once a run has finished (it may have scheduled a follow-up),
   * on a wake-up (`signal`), or a poll interval later. The pass ends when nothing runs and the last
   * claim came back short.
   */
  private async pass(fixedNow: Date | undefined, signal: MoreSignal | undefined): Promise<RunReport> {
    const report: RunReport = { done: 0, retried: 0, failed: 0, lost: 0, released: 0 };
    const runningOf = new Map<string, number>();
    const atLimit = (kind: string) => (runningOf.get(kind) ?? 0) >= (this.maxRunning.get(kind) ?? Infinity);
    const allKinds = [...this.handlers.keys()];
    const lanes = this.options.concurrency ?? 4;
    const running = new Set<Promise<void>>();
    let firstError: { error: unknown } | undefined;
    let due = allKinds.length > 0;
    try {
      while (!this.stopping && !firstError && (due || running.size > 0)) {
        if (signal?.raised) due = true;
        if (due && running.size < lanes) {
          signal?.clear();
          // Cleared before the claim, not after: a run that ends while the claim is under way may
          // have scheduled a follow-up the claim did not see, and its `due = true` must stand.
          due = false;
          const limit = Math.min(this.options.batchSize ?? 20, lanes - running.size);
          const kinds = this.maxRunning.size === 0 ? allKinds : allKinds.filter((kind) => !atLimit(kind));
          const claim = await claimDueJobs(this.db, { kinds, now: fixedNow ?? this.clock(), leaseMs: this.leaseMs, workerId: this.workerId, limit });
          for (const id of claim.takenOver) this.logger.warn({ jobId: id }, 'scheduler took over a job whose lease had expired');
          for (const id of claim.exhausted) this.logger.error({ jobId: id }, 'scheduled job failed: its worker stopped during the last attempt');
          report.failed += claim.exhausted.length;
          if (claim.jobs.length + claim.exhausted.length >= limit) due = true;
          for (const job of claim.jobs) {
            // One claim may hold more of a limited kind than it has room for: the rest go back, unstarted.
            if (atLimit(job.kind)) {
              await releaseClaim(this.db, job, this.workerId);
              continue;
            }
            runningOf.set(job.kind, (runningOf.get(job.kind) ?? 0) + 1);
            const run = this.runClaimed(job, fixedNow, report).catch((error: unknown) => {
              firstError ??= { error };
            });
            running.add(run);
            void run.then(() => {
              running.delete(run);
              runningOf.set(job.kind, runningOf.get(job.kind)! - 1);
              due = true;
            });
          }
          continue;
        }
        // Every lane busy: wait for a run to end (a wake-up meanwhile stays raised for the claim
        // after it). A free lane and nothing due: wait for a run to end, a wake-up or the poll interval.
        const free = running.size < lanes;
        let timer: NodeJS.Timeout | undefined;
        const poll = !free || fixedNow ? [] : [new Promise<'more'>((resolve) => (timer = setTimeout(() => resolve('more'), this.pollMs)))];
        const woken = await Promise.race<'more' | void>([...running, ...(free && signal ? [signal.next] : []), ...poll]);
        clearTimeout(timer);
        if (woken === 'more') due = true;
      }
    } finally {
      await Promise.allSettled(running);
    }
    if (firstError) throw firstError.error;
    return report;
  }

  /** Runs a claimed job, or hands it back unstarted when the scheduler is stopping. */
  private async runClaimed(job: ClaimedJob, fixedNow: Date | undefined, report: RunReport): Promise<void> {
    try {
      if (this.stopping) {
        if (await releaseClaim(this.db, job, this.workerId)) report.released += 1;
      } else {
        await this.execute(job, fixedNow, report);
      }
    } catch (error) {
      // Recording the outcome failed (database unreachable): the lease expires and the job is
      // claimed again, so nothing is lost; surface it once the pass has settled.
      this.logger.error({ err: error, jobId: job.id, kind: job.kind }, 'scheduler could not record the outcome of a job');
      throw error;
    }
  }

  private async execute(job: ClaimedJob, fixedNow: Date | undefined, report: RunReport): Promise<void> {
    const handler = this.handlers.get(job.kind)!;
    const at = () => fixedNow ?? this.clock();
    let owned: boolean;
    // Whether a standalone job marked itself done in its own transaction, and whether it still held the claim then.
    const completion = new ClaimCompletion(job, this.workerId, at);
    try {
      if (handler.transactional) {
        owned = await this.transactionSlots(() =>
          this.db.transaction().execute(async (trx) => {
            if (!(await lockClaim(trx, job, this.workerId))) return false;
            await handler.run(job, trx);
            return completeClaim(trx, job, this.workerId, at());
          }),
        );
      } else {
        const lease = { renew: () => renewClaim(this.db, job, this.workerId, new Date(at().getTime() + this.leaseMs)) };
        await handler.run(job, completion, lease);
        owned = completion.completedIn ?? (await completeClaim(this.db, job, this.workerId, at()));
      }
    } catch (error) {
      if (completion.completedIn === undefined) {
        await this.recordFailure(job, error, at(), report);
        return;
      }
      // Its completion was written in a transaction of its own: done if that committed, else failed as any attempt.
      const stored = await findJob(this.db, job.dedupeKey);
      if (stored?.status !== 'done' || stored.attempts !== job.attempt) {
        await this.recordFailure(job, error, at(), report);
        return;
      }
      this.logger.warn({ err: error, jobId: job.id, kind: job.kind }, 'scheduled job failed after it had marked itself done; it stays done');
      owned = completion.completedIn;
    }
    if (owned) report.done += 1;
    else {
      report.lost += 1;
      this.logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempt }, 'scheduled job was taken over by another worker before this run was recorded');
    }
  }

  private async recordFailure(job: ClaimedJob, error: unknown, at: Date, report: RunReport): Promise<void> {
    const permanent = error instanceof PermanentJobError;
    const last = permanent || job.attempt >= job.maxAttempts;
    const retryAt = last ? undefined : new Date(at.getTime() + retryDelayMs(job.attempt, this.options.retry ?? DEFAULT_RETRY_POLICY));
    const owned = await failClaim(this.db, job, this.workerId, { at, error: describe(error), retryAt });
    const context = { err: error, jobId: job.id, kind: job.kind, attempt: job.attempt, maxAttempts: job.maxAttempts };
    if (!owned) {
      report.lost += 1;
      this.logger.warn(context, 'scheduled job failed after another worker had taken it over');
    } else if (last) {
      report.failed += 1;
      this.logger.error(context, 'scheduled job failed for good');
    } else {
      report.retried += 1;
      this.logger.warn({ ...context, retryAt }, 'scheduled job failed; it will be retried');
    }
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 1000);
}

/** Wake-ups told to a live pass: `next` settles at the first one since the last `clear()`. */
class MoreSignal {
  raised = false;
  next: Promise<'more'>;
  private resolve: () => void = () => undefined;

  constructor() {
    this.next = this.fresh();
  }

  raise(): void {
    if (this.raised) return;
    this.raised = true;
    this.resolve();
  }

  /** Forgets the wake-ups so far: a claim about to start sees what they announced. */
  clear(): void {
    if (!this.raised) return;
    this.raised = false;
    this.next = this.fresh();
  }

  private fresh(): Promise<'more'> {
    return new Promise((resolve) => (this.resolve = () => resolve('more')));
  }
}
