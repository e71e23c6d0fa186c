import { randomUUID } from 'node:crypto';
import type { CheckpointSigner } from './audit-record.ts';
import type { AuditRepository } from './audit.repository.port.ts';
import { SCHEDULED_VERIFICATION, VERIFICATION_JOB_KEY_PREFIX, type AuditVerificationStore, type VerificationRun } from './audit-verification-store.port.ts';
import { AppError } from '../../platform/errors/index.ts';
import { AuditErrors } from './audit.errors.ts';
import { checkVerificationRange, verifyAuditTrailByDay, type DayRange } from './verify-audit-trail.ts';
import type { ClaimedJob, JobLease, StandaloneJobHandler } from '../../platform/scheduler/index.ts';

/** The job that runs a requested verification (a worker's). */
export const VERIFY_AUDIT_TRAIL_JOB = 'audit.verify';

/** Attempts of a run: a database outage is retried, a chain that does not verify is an outcome, not a failure. */
const VERIFICATION_ATTEMPTS = 3;

/** How often a run saves its progress within a day and renews its job's lease. */
const HEARTBEAT_MS = 5_000;

type RunPayload = { readonly id: string };

/** An operator's verification refused while another is under way: names that run, for the caller to link to. */
export class VerificationUnderWay extends AppError {
  constructor(readonly underWay: VerificationRun) {
    super(AuditErrors.VERIFICATION_UNDER_WAY, { message: `A verification asked for by ${underWay.requestedBy} at ${underWay.requestedAt.toISOString()} is under way (${underWay.id}): follow it, and ask again once it has finished` });
    this.name = 'VerificationUnderWay';
  }
}

/**
 * Stores a verification of `range` for a worker to run; answers its id (an `id` already used is
 * the run asked for before). Operators' runs go one at a time: each reads every record of its
 * range, and a console that queued them without end would keep the workers reading for days.
 */
export async function requestVerification(store: AuditVerificationStore, range: DayRange, requestedBy: string, now: Date, id: string = randomUUID()): Promise<string> {
  checkVerificationRange(range);
  const { underWay } = await store.request(
    { id, requestedBy, requestedAt: now, from: range.from, to: range.to },
    { kind: VERIFY_AUDIT_TRAIL_JOB, dedupeKey: `${VERIFICATION_JOB_KEY_PREFIX}${id}`, runAt: now, payload: { id }, maxAttempts: VERIFICATION_ATTEMPTS },
    requestedBy !== SCHEDULED_VERIFICATION,
  );
  if (underWay) throw new VerificationUnderWay(underWay);
  return id;
}

/** The run's job has been taken over by another worker: this run stops, that one carries on. */
class VerificationTakenOver extends Error {
  constructor() {
    super('the verification job was taken over by another worker');
  }
}

/**
 * Saves progress and renews the lease every `HEARTBEAT_MS` while a day is read, without waiting
 * for either: inside a day's snapshot the embedded database's one connection is taken, and the
 * writes run once the day is read.
 */
class Heartbeat {
  private inFlight: Promise<void> | undefined;
  private last = Date.now();
  private lost = false;

  constructor(
    private readonly everyMs: number,
    private readonly beat: (records: number) => Promise<boolean>,
  ) {}

  tick(records: number): void {
    if (this.lost) throw new VerificationTakenOver();
    if (this.inFlight || Date.now() - this.last < this.everyMs) return;
    this.last = Date.now();
    this.inFlight = this.beat(records).then(
      (held) => {
        if (!held) this.lost = true;
      },
      // A missed beat is not the run's failure: the next one, or the day's end, writes again.
      () => undefined,
    ).finally(() => (this.inFlight = undefined));
  }

  /** Waits for a beat under way, so that a later write is not overtaken by it. */
  async settled(): Promise<void> {
    await this.inFlight;
    if (this.lost) throw new VerificationTakenOver();
  }
}

export interface VerificationJobDeps {
  readonly store: AuditVerificationStore;
  readonly snapshot: AuditRepository['snapshot'];
  readonly signer: CheckpointSigner;
  /** A run finished: intact, broken (an alert) or failed. */
  readonly onFinished?: ((run: VerificationRun) => void) | undefined;
  readonly clock?: (() => Date) | undefined;
  /** How often progress is saved within a day (default 5 s). */
  readonly heartbeatMs?: number | undefined;
}

/** Runs a requested verification a day at a time, saving each day's verdict and the records proved as it goes. */
export function verificationJob(deps: VerificationJobDeps): StandaloneJobHandler<RunPayload> {
  const clock = deps.clock ?? (() => new Date());
  return {
    transactional: false,
    async run(job: ClaimedJob<RunPayload>, _completion, lease: JobLease) {
      const { store } = deps;
      const run = await store.get(job.payload.id);
      if (!run || (run.status !== 'queued' && run.status !== 'running')) return;
      await store.start(run.id, clock());
      let proved = 0;
      const heartbeat = new Heartbeat(deps.heartbeatMs ?? HEARTBEAT_MS, async (records) => {
        await store.progress(run.id, records);
        return lease.renew();
      });
      let outcome: Parameters<AuditVerificationStore['finish']>[1];
      try {
        await deps.signer.prepare?.();
        const verification = await verifyAuditTrailByDay(deps.snapshot, deps.signer, { from: run.from, to: run.to }, {
          onDays: (count) => store.listed(run.id, count),
          onPage: (records) => heartbeat.tick(proved + records),
          onPartition: async (verdict) => {
            await heartbeat.settled();
            proved += verdict.records;
            await store.day(run.id, verdict, proved);
            if (!(await lease.renew())) throw new VerificationTakenOver();
          },
        });
        await heartbeat.settled();
        outcome = verification.ok ? { status: 'intact' } : { status: 'broken', firstBreak: verification.firstBreak };
      } catch (error) {
        if (error instanceof VerificationTakenOver || job.attempt < job.maxAttempts) throw error;
        outcome = { status: 'failed', error: error instanceof Error ? error.message : String(error) };
      }
      await store.finish(run.id, outcome, clock());
      const finished = await store.get(run.id);
      if (finished) deps.onFinished?.(finished);
    },
  };
}
