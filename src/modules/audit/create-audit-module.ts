import type { Logger } from 'pino';
import type { Db, PgConnectionRunner } from '../../platform/db/index.ts';
import { consumeEvents, type ConsumerDeps, type EventDefinition } from '../../platform/events/index.ts';
import type { Subscription } from '../../platform/bus/index.ts';
import type { AuditActivity, AuditEntry, AuditQuery, AuditRecord, CheckpointSigner } from './audit-record.ts';
import type { AuditRepository } from './audit.repository.port.ts';
import { AuditWriter, type AuditWriterObserver, type AuditWriterSettings } from './audit-writer.ts';
import { auditConsumer } from './record-domain-events.ts';
import { auditActivity, exportAuditPage, exportAuditTrail, searchAuditTrail, type AuditPage } from './search-audit-trail.ts';
import { checkVerificationRange, verifyAuditTrailByDay, type AuditVerification, type DayRange, type VerificationHooks } from './verify-audit-trail.ts';
import { expireAuditPartitions } from './expire-audit-partitions.ts';
import { createKyselyAuditRepository } from './infra/kysely-audit-repository.ts';
import { createKyselyAuditVerificationStore } from './infra/kysely-audit-verification-store.ts';
import type { AuditVerificationStore, VerificationRun, VerificationRunDetail } from './audit-verification-store.port.ts';
import { requestVerification, verificationJob, VERIFY_AUDIT_TRAIL_JOB } from './verification-runs.ts';
import type { StandaloneJobHandler } from '../../platform/scheduler/index.ts';

export interface AuditSettings extends AuditWriterSettings {
  /** Days a partition's records are kept after its day ends; its last checkpoint is kept for good. */
  readonly retentionDays: number;
}

export interface AuditModuleDeps {
  readonly db: Db;
  /** PostgreSQL: a pooled connection for COPY, the fastest append (`DatabaseHandle.pgConnection`). */
  readonly pgConnection?: PgConnectionRunner | undefined;
  readonly signer: CheckpointSigner;
  readonly settings: AuditSettings;
  readonly logger: Logger;
  readonly observer?: AuditWriterObserver | undefined;
  /** A verification was asked for: wake the workers (`JobWake`). */
  readonly onVerificationRequested?: (() => void) | undefined;
  /** A verification run finished: intact, broken (the operator's alert) or failed. */
  readonly onVerificationFinished?: ((run: VerificationRun) => void) | undefined;
}

/** The audit trail (docs/audit.md). */
export interface AuditApi {
  /** Takes a record without waiting (API calls, PSU steps, operator actions); false when dropped under `overflow: drop`. */
  record(entry: AuditEntry): boolean;
  /** Takes records and resolves once committed. */
  recordDurably(entries: readonly AuditEntry[]): Promise<void>;
  /** Whether a new API call may be served (false: the buffer is full and the policy is `refuse`). */
  hasRoom(): boolean;
  /** Records waiting for the database. */
  buffered(): number;
  /** Writes what is buffered now. */
  flush(): Promise<void>;
  /** Starts the periodic writes; `stop` writes what is left (within a deadline) and stops. */
  start(): void;
  stop(): Promise<void>;
  /** Records every state change the given events carry (worker processes). */
  recordEvents(deps: ConsumerDeps, events: readonly EventDefinition[]): Promise<Subscription>;
  /** Proves the chains and checkpoints of the partitions from `from` to `to` (UTC days), telling `hooks` as it goes. */
  verify(range?: DayRange, hooks?: VerificationHooks): Promise<AuditVerification>;
  search(query: AuditQuery, limit: number, cursor?: string): Promise<AuditPage>;
  export(query: AuditQuery): AsyncGenerator<AuditRecord>;
  /** The records of a window without their hashes, oldest first, a page at a time: what anomaly detection reads (docs/risk.md). */
  activity(window: { readonly from: Date; readonly to: Date }): AsyncGenerator<readonly AuditActivity[]>;
  /** The export a page at a time, oldest first, for callers that cannot hold a stream open (the operator API). */
  exportPage(query: AuditQuery, limit: number, cursor?: string): Promise<AuditPage>;
  /** Housekeeping: expires the partitions past retention, and forgets the finished verification runs asked for that long ago; returns the partitions expired. */
  expire(now?: Date): Promise<string[]>;
  /**
   * Asks a worker to verify `range` (the console: at a large bank's volume a day takes long to
   * hash); answers the run's id. `id`: one chosen by the caller, so that asking twice (the daily
   * verification's recurring job, run again) stores one run.
   */
  requestVerification(range: DayRange, requestedBy: string, id?: string): Promise<string>;
  /** A run, with the verdict of each day read so far. */
  verification(id: string): Promise<VerificationRunDetail | undefined>;
  /** The latest runs, newest first. */
  verifications(limit: number): Promise<VerificationRun[]>;
  /** The days of `range` that records were written into after a run proved them intact, each with its records now (the daily verification proves them again). */
  daysGrownSinceVerified(range: Required<DayRange>): Promise<Array<{ readonly day: string; readonly records: bigint }>>;
  /** The workers' job that runs the requested verifications. */
  readonly verificationJob: { readonly kind: string; readonly handler: StandaloneJobHandler<{ readonly id: string }> };
}

export function createAuditModule(deps: AuditModuleDeps): AuditApi {
  return auditApiOver(createKyselyAuditRepository(deps.db, deps.pgConnection), deps, createKyselyAuditVerificationStore(deps.db));
}

/** The audit API over a repository (tests give their own), and where verification runs are kept (none: they are refused). */
export function auditApiOver(repository: AuditRepository, deps: Omit<AuditModuleDeps, 'db' | 'pgConnection'>, runs: AuditVerificationStore = noVerificationRuns): AuditApi {
  const writer = new AuditWriter(repository, deps.signer, deps.settings, deps.logger, deps.observer);
  return {
    record: (entry) => writer.record(entry),
    recordDurably: (entries) => writer.recordDurably(entries),
    hasRoom: () => writer.hasRoom(),
    buffered: () => writer.buffered,
    flush: () => writer.flush(),
    start: () => writer.start(),
    stop: () => writer.stop(),
    recordEvents: (consumerDeps, events) => consumeEvents(consumerDeps, auditConsumer(events, (entries) => writer.recordDurably(entries))),
    verify: async (range = {}, hooks = {}) => {
      checkVerificationRange(range);
      await deps.signer.prepare?.();
      return verifyAuditTrailByDay((read) => repository.snapshot(read), deps.signer, range, hooks);
    },
    search: (query, limit, cursor) => searchAuditTrail(repository, query, limit, cursor),
    export: (query) => exportAuditTrail(repository, query),
    activity: (window) => auditActivity(repository, window),
    exportPage: (query, limit, cursor) => exportAuditPage(repository, query, limit, cursor),
    expire: (now = new Date()) => expireAuditPartitions(repository, runs, deps.settings.retentionDays, now),
    async requestVerification(range, requestedBy, id) {
      const requested = await requestVerification(runs, range, requestedBy, new Date(), id);
      deps.onVerificationRequested?.();
      return requested;
    },
    verification: (id) => runs.get(id),
    verifications: (limit) => runs.recent(limit),
    daysGrownSinceVerified: (range) => runs.grownSinceVerified(range.from, range.to),
    verificationJob: {
      kind: VERIFY_AUDIT_TRAIL_JOB,
      handler: verificationJob({ store: runs, snapshot: (read) => repository.snapshot(read), signer: deps.signer, onFinished: deps.onVerificationFinished }),
    },
  };
}

const refuse = (): never => {
  throw new Error('this audit API keeps no verification runs');
};

/** Verification runs where none are kept (an audit API over a test's repository). */
const noVerificationRuns: AuditVerificationStore = { request: refuse, get: refuse, recent: refuse, start: refuse, listed: refuse, day: refuse, progress: refuse, grownSinceVerified: refuse, finish: refuse, forgetFinishedBefore: async () => 0 };
