import type { Logger } from 'pino';
import type { Config } from '../platform/config/index.ts';
import type { Db } from '../platform/db/index.ts';
import { deleteProcessedEvents } from '../platform/events/index.ts';
import { deletePublishedEvents } from '../platform/outbox/index.ts';
import { deleteFinishedJobs, recurringJobHandler, scheduleNextRun, type RecurringJob, type Scheduler } from '../platform/scheduler/index.ts';
import { deleteExpiredIdempotencyKeys } from '../modules/idempotency/index.ts';
import { deleteExpiredOidcPayloads } from '../auth/index.ts';
import type { EventsApi } from '../modules/events/index.ts';
import type { InsightsApi } from '../modules/insights/index.ts';
import type { RiskApi } from '../modules/risk/index.ts';

/** The modules whose own tables housekeeping keeps in bounds, through their APIs. */
export interface HousekeptModules {
  readonly events?: Pick<EventsApi, 'deleteSpent'> | undefined;
  readonly insights?: Pick<InsightsApi, 'expire'> | undefined;
  readonly risk?: Pick<RiskApi, 'forgetIdleSubjects'> | undefined;
}

const DAY_MS = 86_400_000;

/**
 * The recurring clean-ups of tables that would otherwise grow for ever: published outbox events,
 * finished jobs and the consumers' inbox records past their retention, expired idempotency keys
 * (24 hours), expired authorisation-server records (reads already ignore both) and, given their
 * modules, TPP notifications finished a day ago or past retention, the KPIs' figures past
 * retention and anomaly detection's subjects idle past theirs. Each runs once per interval across
 * all workers, as a scheduled job.
 */
export function housekeepingJobs(db: Db, settings: Config['housekeeping'], logger: Logger, modules: HousekeptModules = {}): RecurringJob[] {
  const { events, insights, risk } = modules;
  const job = (kind: string, what: string, deleteAt: (now: Date) => Promise<number>): RecurringJob => ({
    kind,
    everyMs: settings.intervalMs,
    async run(now) {
      const deleted = await deleteAt(now);
      if (deleted > 0) logger.info({ deleted, kind }, `housekeeping deleted ${what}`);
    },
  });
  const before = (now: Date, retentionMs: number) => new Date(now.getTime() - retentionMs);
  return [
    job('housekeeping.outbox-events', 'published outbox events', (now) => deletePublishedEvents(db, before(now, settings.outboxRetentionMs))),
    job('housekeeping.finished-jobs', 'finished jobs', (now) => deleteFinishedJobs(db, before(now, settings.finishedJobRetentionMs))),
    job('housekeeping.processed-events', "consumers' inbox records", (now) => deleteProcessedEvents(db, before(now, settings.inboxRetentionMs))),
    job('housekeeping.idempotency-keys', 'expired idempotency keys', (now) => deleteExpiredIdempotencyKeys(db, now)),
    job('housekeeping.oidc-records', 'expired authorisation server records', (now) => deleteExpiredOidcPayloads(db, now)),
    ...(events ? [job('housekeeping.event-notifications', 'spent TPP notifications', (now) => events.deleteSpent(now))] : []),
    ...(insights ? [job('housekeeping.kpis', 'KPI figures past retention', (now) => insights.expire(now))] : []),
    ...(risk ? [job('housekeeping.risk-subjects', 'idle risk subjects', (now) => risk.forgetIdleSubjects(before(now, settings.riskSubjectRetentionDays * DAY_MS)))] : []),
  ];
}

/** Registers the housekeeping jobs' handlers on a worker's scheduler and makes sure each has its next run scheduled. */
export async function startHousekeeping(scheduler: Scheduler, db: Db, jobs: readonly RecurringJob[], clock: () => Date = () => new Date()): Promise<void> {
  for (const job of jobs) {
    scheduler.register(job.kind, recurringJobHandler(db, job, clock));
    await scheduleNextRun(db, job, clock());
  }
}
