import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { nextSingletonRun, recurringJobHandler, Scheduler, scheduleNextRun, singletonRunAt, type ClaimedJob, type RecurringJob } from '../../src/platform/scheduler/index.ts';
import { openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { silentLogger } from '../support/silent-logger.ts';

const MINUTE = 60_000;
const T0 = new Date('2026-03-02T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('recurring singleton', () => {
  const expiry = { kind: 'consents.expire', everyMs: MINUTE };

  it('names each interval once, aligned on the epoch', () => {
    assert.deepEqual(singletonRunAt(expiry, at(30_000)), { kind: 'consents.expire', dedupeKey: 'consents.expire@2026-03-02T10:00:00.000Z', runAt: T0, payload: {} });
    assert.equal(singletonRunAt(expiry, at(30_000), true).dedupeKey, 'consents.expire@2026-03-02T10:01:00.000Z');
  });

  it('schedules the run after the intended interval, or after the claim when the run was claimed late', () => {
    assert.equal(nextSingletonRun(expiry, { runAt: T0, claimedAt: at(2_000) }).runAt.toISOString(), '2026-03-02T10:01:00.000Z');
    // Claimed ten minutes late (a future test clock, a worker back from a pause): this run did the
    // missed intervals' work, and the chain resumes after the claim, not once per missed interval.
    const late = { ...singletonRunAt(expiry, T0), claimedAt: at(10 * MINUTE + 5_000) };
    assert.equal(nextSingletonRun(expiry, late).runAt.toISOString(), '2026-03-02T10:11:00.000Z');
    assert.deepEqual(nextSingletonRun({ ...expiry, maxAttempts: 3 }, late).maxAttempts, 3);
  });

  describe('on the scheduler', () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase('pglite');
    });
    after(async () => {
      await database.close();
    });

    it('a pass with a clock ahead of the chain runs once, and leaves pending the interval after the clock', async () => {
      const kind = uniqueName('recurring');
      const runs: string[] = [];
      let now = at(5_000);
      const job: RecurringJob = { kind, everyMs: MINUTE, run: async () => undefined };
      const handler = recurringJobHandler(database.db, job, () => now);
      const worker = new Scheduler(database.db, silentLogger, { clock: () => now });
      worker.register(kind, {
        transactional: false,
        async run(claimed: ClaimedJob, completion, lease) {
          runs.push(claimed.runAt.toISOString());
          await handler.run(claimed, completion, lease);
        },
      });
      await scheduleNextRun(database.db, job, now);
      now = at(3 * MINUTE + 5_000);
      await worker.runDue();
      assert.deepEqual(runs, ['2026-03-02T10:01:00.000Z']);
      const pending = await database.db.selectFrom('scheduled_jobs').select(['dedupe_key']).where('kind', '=', kind).where('status', '=', 'pending').execute();
      assert.deepEqual(pending.map((row) => row.dedupe_key), [`${kind}@2026-03-02T10:04:00.000Z`]);
      await worker.stop();
    });
  });
});
