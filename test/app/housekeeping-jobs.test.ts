import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { housekeepingJobs, startHousekeeping } from '../../src/app/housekeeping-jobs.ts';
import { Scheduler, scheduleJob } from '../../src/platform/scheduler/index.ts';
import type { Db } from '../../src/platform/db/index.ts';
import { OutboxRelay } from '../../src/platform/outbox/index.ts';
import { MemoryBus } from '../../src/platform/bus/index.ts';
import { createInsightsModule } from '../../src/modules/insights/index.ts';
import { createRiskModule } from '../../src/modules/risk/index.ts';
import { DIALECTS, openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { silentLogger } from '../support/silent-logger.ts';

const HOUR = 3_600_000;
const NOW = new Date('2026-03-02T10:02:00.000Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const SETTINGS = { intervalMs: 5 * 60_000, outboxRetentionMs: 168 * HOUR, finishedJobRetentionMs: 720 * HOUR, inboxRetentionMs: 168 * HOUR, kpiRetentionDays: 200, riskSubjectRetentionDays: 180 };

function jobOf(db: Db, kind: string) {
  const risk = createRiskModule({
    db,
    trail: { activity: async function* () {} },
    responder: { apply: async () => ({}), undo: async () => undefined, record: async () => undefined },
    settings: { enabled: true, windowMs: 60_000, lagMs: 0, responses: {} },
    logger: silentLogger,
  });
  const job = housekeepingJobs(db, SETTINGS, silentLogger, { insights: createInsightsModule({ db, retentionDays: SETTINGS.kpiRetentionDays }), risk }).find((j) => j.kind === kind);
  assert.ok(job, kind);
  return job;
}

async function outboxEvent(db: Db, occurredAt: Date): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('outbox_events')
    .values({
      id,
      subject: `test.${id}.TestHousekeeping.v1`,
      payload: '{}',
      occurred_at: occurredAt,
      event_type: 'TestHousekeeping',
      event_version: 1,
      aggregate_type: 'test',
      aggregate_id: id,
      aggregate_version: 1,
    })
    .execute();
  return id;
}

for (const dialect of DIALECTS) {
  describe(`housekeeping (${dialect})`, () => {
    let database: TestDatabase;
    let db: Db;
    before(async () => {
      database = await openTestDatabase(dialect);
      db = database.db;
    });
    after(async () => {
      await database?.close();
    });

    it('deletes published outbox events past their retention, and never an unpublished one however old', async () => {
      const old = await outboxEvent(db, ago(169));
      const recent = await outboxEvent(db, ago(167));
      const relayed: string[] = [];
      const bus = new MemoryBus();
      bus.publish = async (event) => void relayed.push(event.id);
      await new OutboxRelay(db, bus, silentLogger, { pollMs: 10 }).relayOnce();
      assert.deepEqual(relayed, [old, recent]);
      const unpublished = await outboxEvent(db, ago(1000));
      await jobOf(db, 'housekeeping.outbox-events').run(NOW);
      const left = await db.selectFrom('outbox_events').select('id').where('id', 'in', [old, recent, unpublished]).execute();
      assert.deepEqual(left.map((r) => r.id).sort(), [recent, unpublished].sort());
    });

    it('deletes done and failed jobs finished before their retention, and never a pending or running one', async () => {
      const kind = uniqueName('finished');
      const ids: Record<string, string> = {};
      for (const [name, status, finishedAt] of [
        ['oldDone', 'done', ago(721)],
        ['oldFailed', 'failed', ago(721)],
        ['recentDone', 'done', ago(719)],
        ['pending', 'pending', null],
      ] as const) {
        ids[name] = (await scheduleJob(db, { kind, dedupeKey: `${kind}:${name}`, runAt: ago(2000), payload: {} }, ago(2000))).id;
        if (finishedAt) await db.updateTable('scheduled_jobs').set({ status, finished_at: finishedAt }).where('id', '=', ids[name]!).execute();
      }
      await jobOf(db, 'housekeeping.finished-jobs').run(NOW);
      const left = await db.selectFrom('scheduled_jobs').select('dedupe_key').where('kind', '=', kind).orderBy('dedupe_key').execute();
      assert.deepEqual(left.map((r) => r.dedupe_key), [`${kind}:pending`, `${kind}:recentDone`]);
    });

    it("deletes consumers' inbox records past their retention, of every consumer, and keeps recent ones", async () => {
      const consumers = [uniqueName('consumer'), uniqueName('consumer')];
      const ids: Record<string, string> = {};
      for (const consumer of consumers) {
        for (const [age, hours] of [['old', 169], ['recent', 167]] as const) {
          ids[`${consumer}:${age}`] = randomUUID();
          await db.insertInto('processed_events').values({ consumer, event_id: ids[`${consumer}:${age}`]!, processed_at: ago(hours) }).execute();
        }
      }
      await jobOf(db, 'housekeeping.processed-events').run(NOW);
      const left = await db.selectFrom('processed_events').select(['consumer', 'event_id']).where('consumer', 'in', consumers).execute();
      assert.deepEqual(
        left.map((r) => `${r.consumer}:${r.event_id}`).sort(),
        consumers.map((consumer) => `${consumer}:${ids[`${consumer}:recent`]}`).sort(),
      );
    });

    it('deletes expired idempotency keys and keeps live ones', async () => {
      const clientId = uniqueName('client');
      for (const [key, expiresAt] of [['expired', ago(1)], ['live', new Date(NOW.getTime() + HOUR)]] as const) {
        await db
          .insertInto('idempotency_keys')
          .values({ client_id: clientId, operation: 'test', idempotency_key: key, request_hash: 'h', resource_id: 'r', created_at: ago(30), expires_at: expiresAt })
          .execute();
      }
      await jobOf(db, 'housekeeping.idempotency-keys').run(NOW);
      const left = await db.selectFrom('idempotency_keys').select('idempotency_key').where('client_id', '=', clientId).execute();
      assert.deepEqual(left.map((r) => r.idempotency_key), ['live']);
    });

    it('deletes expired authorisation-server records and keeps live and non-expiring ones', async () => {
      const kind = uniqueName('AccessToken');
      for (const [id, expiresAt] of [['expired', ago(1)], ['live', new Date(NOW.getTime() + HOUR)], ['forever', null]] as const) {
        await db.insertInto('oidc_payloads').values({ kind, id, payload: '{}', expires_at: expiresAt }).execute();
      }
      await jobOf(db, 'housekeeping.oidc-records').run(NOW);
      const left = await db.selectFrom('oidc_payloads').select('id').where('kind', '=', kind).orderBy('id').execute();
      assert.deepEqual(left.map((r) => r.id), ['forever', 'live']);
    });

    it('deletes the KPI figures of whole UTC days past their retention, in each of their tables, and keeps the rest', async () => {
      // 200 days before NOW (2026-03-02T10:02Z) is 2025-08-14T10:02Z: the days before 2025-08-14 go, that day stays whole.
      const cutoff = new Date('2025-08-14T00:00:00.000Z');
      const [before, at] = [new Date(cutoff.getTime() - 60_000), cutoff];
      const endpoint = uniqueName('GET /kpis');
      const figures = { calls: 1, successes: 1, business_failures: 0, technical_failures: 0, rejections: 0, ttfb_ms_total: 5, ttlb_ms_total: 6, ttlb_ms_min: 6, ttlb_ms_max: 6, payload_bytes_total: 10 };
      for (const minute of [before, at]) {
        const hour = new Date(Math.floor(minute.getTime() / HOUR) * HOUR);
        await db.insertInto('insights_api_hourly').values({ hour, endpoint, client_id: 'tpp', standard: 'uk-obie', service: 'account-information', ...figures }).execute();
        await db.insertInto('insights_latency_hourly').values({ hour, endpoint, client_id: 'tpp', bucket: 7, calls: 1 }).execute();
        await db.insertInto('insights_endpoint_minutes').values({ minute, endpoint, calls: 1, technical_failures: 1 }).execute();
        await db.insertInto('insights_serving_minutes').values({ minute, instance_id: endpoint }).execute();
      }
      // Planned downtime goes once it has ended before the cutoff: one that ran across it stays.
      for (const [id, ends] of [[`${endpoint}-ended`, before], [`${endpoint}-across`, new Date(at.getTime() + 60_000)]] as const) {
        await db.insertInto('insights_planned_downtime').values({ id, starts_at: new Date(at.getTime() - HOUR), ends_at: ends, reason: 'upgrade', declared_at: ago(6000) }).execute();
      }
      const left = async () => ({
        hourly: (await db.selectFrom('insights_api_hourly').select('hour').where('endpoint', '=', endpoint).execute()).map((r) => new Date(r.hour).toISOString()),
        latency: (await db.selectFrom('insights_latency_hourly').select('hour').where('endpoint', '=', endpoint).execute()).map((r) => new Date(r.hour).toISOString()),
        minutes: (await db.selectFrom('insights_endpoint_minutes').select('minute').where('endpoint', '=', endpoint).execute()).map((r) => new Date(r.minute).toISOString()),
        serving: (await db.selectFrom('insights_serving_minutes').select('minute').where('instance_id', '=', endpoint).execute()).map((r) => new Date(r.minute).toISOString()),
        downtime: (await db.selectFrom('insights_planned_downtime').select('id').where('id', 'like', `${endpoint}-%`).execute()).map((r) => r.id),
      });
      await jobOf(db, 'housekeeping.kpis').run(new Date(NOW.getTime() - 11 * HOUR));
      assert.equal((await left()).hourly.length, 2, 'a day earlier, 2025-08-13 is not yet 200 days past its end');
      await jobOf(db, 'housekeeping.kpis').run(NOW);
      assert.deepEqual(await left(), {
        hourly: ['2025-08-14T00:00:00.000Z'],
        latency: ['2025-08-14T00:00:00.000Z'],
        minutes: ['2025-08-14T00:00:00.000Z'],
        serving: ['2025-08-14T00:00:00.000Z'],
        downtime: [`${endpoint}-across`],
      });
    });

    it('forgets risk subjects idle past their retention (the credential stuffer’s usernames and addresses) and keeps those active since', async () => {
      const id = uniqueName('subject');
      for (const [kind, suffix, updatedAt] of [['psu', 'idle', ago(180 * 24 + 1)], ['source', 'idle', ago(180 * 24 + 1)], ['psu', 'active', ago(180 * 24 - 1)]] as const) {
        await db.insertInto('risk_subjects').values({ subject_kind: kind, subject_id: `${id}-${suffix}`, state: '{}', updated_at: updatedAt }).execute();
      }
      await jobOf(db, 'housekeeping.risk-subjects').run(NOW);
      const left = await db.selectFrom('risk_subjects').select(['subject_kind', 'subject_id']).where('subject_id', 'like', `${id}-%`).execute();
      assert.deepEqual(left, [{ subject_kind: 'psu', subject_id: `${id}-active` }]);
    });

    it('runs each clean-up once per interval however many workers start it, and schedules the next interval', async () => {
      let now = NOW;
      const clock = () => now;
      // Two workers (two pools on PostgreSQL would behave the same: the claim is a row lock).
      const workers = [0, 1].map(() => new Scheduler(db, silentLogger, { clock }));
      const jobs = housekeepingJobs(db, SETTINGS, silentLogger);
      for (const worker of workers) await startHousekeeping(worker, db, jobs, clock);
      const scheduled = () =>
        db.selectFrom('scheduled_jobs').select(['dedupe_key', 'status']).where('kind', 'like', 'housekeeping.%').orderBy('dedupe_key').execute();
      const kinds = jobs.map((j) => j.kind).sort();
      assert.deepEqual(await scheduled(), kinds.map((kind) => ({ dedupe_key: `${kind}@2026-03-02T10:05:00.000Z`, status: 'pending' })));

      now = new Date('2026-03-02T10:05:01.000Z');
      const reports = await Promise.all(workers.map((w) => w.runDue()));
      assert.equal(reports.reduce((sum, r) => sum + r.done, 0), 5, 'five clean-ups, each run by one worker');
      assert.deepEqual(
        await scheduled(),
        kinds.flatMap((kind) => [
          { dedupe_key: `${kind}@2026-03-02T10:05:00.000Z`, status: 'done' },
          { dedupe_key: `${kind}@2026-03-02T10:10:00.000Z`, status: 'pending' },
        ]),
      );
      const again = await Promise.all(workers.map((w) => w.runDue()));
      assert.equal(again.reduce((sum, r) => sum + r.done, 0), 0, 'nothing more until the next interval');
    });
  });
}
