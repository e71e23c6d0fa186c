import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { createDatabase, createUnitOfWork, transactionOf, type DatabaseHandle, type Db } from '../../src/platform/db/index.ts';
import {
  LEASE_EXPIRED_ON_LAST_ATTEMPT,
  PermanentJobError,
  Scheduler,
  completeJobsIn,
  findJob,
  retryDelayMs,
  scheduleJob,
  type ClaimedJob,
  type JobCompletion,
  type RunReport,
  type SchedulerOptions,
} from '../../src/platform/scheduler/index.ts';
import { DIALECTS, openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { silentLogger } from '../support/silent-logger.ts';

const T0 = new Date('2025-06-02T06:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOTHING: RunReport = { done: 0, retried: 0, failed: 0, lost: 0, released: 0 };

class RollbackRequested extends Error {}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function scheduler(db: Db, options: SchedulerOptions = {}): Scheduler {
  return new Scheduler(db, silentLogger, { clock: () => T0, retry: { baseMs: 1000, maxMs: 1500 }, ...options });
}

async function createEffectsTable(db: Db): Promise<void> {
  await sql`CREATE TABLE scheduler_test_effects (dedupe_key text NOT NULL, attempt integer NOT NULL, worker text NOT NULL)`.execute(db);
}

async function effectsOf(db: Db, prefix: string): Promise<Array<{ dedupe_key: string; attempt: number; worker: string }>> {
  const { rows } = await sql<{ dedupe_key: string; attempt: number; worker: string }>`
    SELECT dedupe_key, attempt, worker FROM scheduler_test_effects WHERE dedupe_key LIKE ${`${prefix}%`} ORDER BY dedupe_key, attempt`.execute(db);
  return rows;
}

for (const dialect of DIALECTS) {
  describe(`scheduler (${dialect})`, () => {
    let database: TestDatabase;

    before(async () => {
      database = await openTestDatabase(dialect);
      await createEffectsTable(database.db);
    });
    after(async () => {
      await database.close();
    });

    it('runs a due job once, at its time and in due order, writing in the transaction that marks it done', async () => {
      const kind = uniqueName('due');
      const seen: ClaimedJob<{ instalment: number }>[] = [];
      const worker = scheduler(database.db, { workerId: 'worker-1', concurrency: 1 }).register<{ instalment: number }>(kind, {
        transactional: true,
        run: async (job, trx) => {
          seen.push(job);
          await sql`INSERT INTO scheduler_test_effects VALUES (${job.dedupeKey}, ${job.attempt}, 'worker-1')`.execute(trx);
        },
      });
      for (const instalment of [3, 1, 2]) {
        const result = await scheduleJob(database.db, { kind, dedupeKey: `${kind}:so-1:${instalment}`, runAt: at(instalment * HOUR), payload: { instalment } }, T0);
        assert.equal(result.created, true);
      }
      assert.deepEqual(await worker.runDue(at(HOUR - 1)), NOTHING);
      assert.deepEqual(await worker.runDue(at(2 * HOUR)), { ...NOTHING, done: 2 });
      assert.deepEqual(
        seen.map((job) => [job.dedupeKey, job.payload.instalment, job.attempt, job.runAt.toISOString(), job.claimedAt.toISOString()]),
        [
          [`${kind}:so-1:1`, 1, 1, at(HOUR).toISOString(), at(2 * HOUR).toISOString()],
          [`${kind}:so-1:2`, 2, 1, at(2 * HOUR).toISOString(), at(2 * HOUR).toISOString()],
        ],
      );
      const first = await findJob(database.db, `${kind}:so-1:1`);
      assert.deepEqual(
        { status: first?.status, attempts: first?.attempts, lockedBy: first?.lockedBy, lockedUntil: first?.lockedUntil, finishedAt: first?.finishedAt?.toISOString(), lastError: first?.lastError },
        { status: 'done', attempts: 1, lockedBy: null, lockedUntil: null, finishedAt: at(2 * HOUR).toISOString(), lastError: null },
      );
      assert.equal((await findJob(database.db, `${kind}:so-1:3`))?.status, 'pending');
      assert.deepEqual(await worker.runDue(at(2 * HOUR)), NOTHING);
      assert.deepEqual(await worker.runDue(at(3 * HOUR)), { ...NOTHING, done: 1 });
      assert.deepEqual(
        (await effectsOf(database.db, kind)).map((e) => e.dedupe_key),
        [1, 2, 3].map((n) => `${kind}:so-1:${n}`),
      );
    });

    it('ignores a second schedule of the same dedupe key, before and after the job ran', async () => {
      const kind = uniqueName('dedupe');
      const key = `standing-order:${kind}:7`;
      const runs: unknown[] = [];
      const worker = scheduler(database.db).register(kind, { transactional: false, run: async (job) => void runs.push(job.payload) });
      const first = await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: { amountMinor: '1050' } }, T0);
      const again = await scheduleJob(database.db, { kind, dedupeKey: key, runAt: at(-HOUR), payload: { amountMinor: '999999' } }, T0);
      assert.deepEqual(again, { id: first.id, created: false });
      const job = await findJob(database.db, key);
      assert.deepEqual([job?.runAt.toISOString(), job?.payload], [T0.toISOString(), { amountMinor: '1050' }]);
      assert.deepEqual(await worker.runDue(T0), { ...NOTHING, done: 1 });
      assert.deepEqual(await scheduleJob(database.db, { kind, dedupeKey: key, runAt: at(HOUR), payload: { amountMinor: '1050' } }, T0), { id: first.id, created: false });
      assert.deepEqual(await worker.runDue(at(2 * HOUR)), NOTHING);
      assert.deepEqual(runs, [{ amountMinor: '1050' }]);
    });

    it('schedules in the caller’s transaction: a rolled-back schedule leaves no job', async () => {
      const kind = uniqueName('rollback');
      const key = `${kind}:1`;
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await scheduleJob(trx, { kind, dedupeKey: key, runAt: T0, payload: {} }, T0);
          throw new RollbackRequested();
        }),
        RollbackRequested,
      );
      assert.equal(await findJob(database.db, key), undefined);
      assert.equal((await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: {} }, T0)).created, true);
    });

    it('retries a failing job with capped exponential backoff, then marks it failed', async () => {
      const kind = uniqueName('retry');
      const key = `${kind}:1`;
      const attempts: number[] = [];
      const worker = scheduler(database.db).register(kind, {
        transactional: false,
        run: async (job) => {
          attempts.push(job.attempt);
          throw new Error('core banking unavailable');
        },
      });
      await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: {}, maxAttempts: 3 }, T0);
      assert.deepEqual(await worker.runDue(T0), { ...NOTHING, retried: 1 });
      let job = await findJob(database.db, key);
      assert.deepEqual(
        [job?.status, job?.attempts, job?.runAt.toISOString(), job?.lastError, job?.lockedBy],
        ['pending', 1, at(1000).toISOString(), 'Error: core banking unavailable', null],
      );
      assert.deepEqual(await worker.runDue(at(999)), NOTHING);
      assert.deepEqual(await worker.runDue(at(1000)), { ...NOTHING, retried: 1 });
      job = await findJob(database.db, key);
      // 2 s doubled from 1 s, capped at 1.5 s.
      assert.deepEqual([job?.status, job?.attempts, job?.runAt.toISOString()], ['pending', 2, at(2500).toISOString()]);
      assert.deepEqual(await worker.runDue(at(2500)), { ...NOTHING, failed: 1 });
      job = await findJob(database.db, key);
      assert.deepEqual(
        [job?.status, job?.attempts, job?.finishedAt?.toISOString(), job?.lastError],
        ['failed', 3, at(2500).toISOString(), 'Error: core banking unavailable'],
      );
      assert.deepEqual(await worker.runDue(at(24 * HOUR)), NOTHING);
      assert.deepEqual(attempts, [1, 2, 3]);
    });

    it('rolls back a transactional handler’s writes when its attempt fails', async () => {
      const kind = uniqueName('atomic');
      const key = `${kind}:1`;
      const worker = scheduler(database.db, { workerId: 'w' }).register(kind, {
        transactional: true,
        run: async (job, trx) => {
          await sql`INSERT INTO scheduler_test_effects VALUES (${job.dedupeKey}, ${job.attempt}, 'w')`.execute(trx);
          if (job.attempt === 1) throw new Error('posting refused');
        },
      });
      await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: {} }, T0);
      assert.deepEqual(await worker.runDue(T0), { ...NOTHING, retried: 1 });
      assert.deepEqual(await effectsOf(database.db, kind), []);
      assert.deepEqual(await worker.runDue(at(1000)), { ...NOTHING, done: 1 });
      assert.deepEqual(await effectsOf(database.db, kind), [{ dedupe_key: key, attempt: 2, worker: 'w' }]);
    });

    it('lets a standalone job mark itself done in its own last transaction: done with its writes, or neither when it rolls back', async () => {
      const kind = uniqueName('self_completing');
      const key = `${kind}:1`;
      const uow = createUnitOfWork(database.db);
      const worker = scheduler(database.db, { workerId: 'w' }).register(kind, {
        transactional: false,
        run: async (job, completion) => {
          await uow.run(async (tx) => {
            await sql`INSERT INTO scheduler_test_effects VALUES (${job.dedupeKey}, ${job.attempt}, 'w')`.execute(transactionOf(tx));
            await completion.in(tx);
            if (job.attempt === 1) throw new Error('the last write failed');
          });
          // Done once that transaction committed: what fails after it does not undo it.
          if (job.attempt === 2) throw new Error('a failure after the job was done');
        },
      });
      await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: {} }, T0);
      assert.deepEqual(await worker.runDue(T0), { ...NOTHING, retried: 1 });
      assert.deepEqual(await effectsOf(database.db, kind), []);
      assert.equal((await findJob(database.db, key))?.status, 'pending');
      assert.deepEqual(await worker.runDue(at(1000)), { ...NOTHING, done: 1 });
      assert.deepEqual(await effectsOf(database.db, kind), [{ dedupe_key: key, attempt: 2, worker: 'w' }]);
      const job = await findJob(database.db, key);
      assert.deepEqual([job?.status, job?.attempts, job?.lockedBy, job?.lastError], ['done', 2, null, 'Error: the last write failed']);
    });

    it('marks standalone jobs that ran together done together (completeJobsIn): all with the batch\'s writes, or none when it rolls back', async () => {
      const kind = uniqueName('completed_together');
      const uow = createUnitOfWork(database.db);
      interface Batch {
        readonly members: Array<{ job: ClaimedJob; completion: JobCompletion }>;
        outcome?: Promise<void>;
        settle?: (outcome: Promise<void>) => void;
      }
      const newBatch = (): Batch => {
        const batch: Batch = { members: [] };
        batch.outcome = new Promise<void>((resolve) => (batch.settle = (outcome) => resolve(outcome)));
        return batch;
      };
      let gathering = newBatch();
      const worker = scheduler(database.db, { workerId: 'w', concurrency: 4 }).register(kind, {
        transactional: false,
        // Each member waits for the batch its third member runs, and fails when it fails.
        run: async (job, completion) => {
          const batch = gathering;
          batch.members.push({ job, completion });
          if (batch.members.length === 3) {
            gathering = newBatch();
            batch.settle!(
              uow.run(async (tx) => {
                for (const member of batch.members) await sql`INSERT INTO scheduler_test_effects VALUES (${member.job.dedupeKey}, ${member.job.attempt}, 'w')`.execute(transactionOf(tx));
                await completeJobsIn(tx, batch.members.map((member) => member.completion));
                if (job.attempt === 1) throw new Error('the batch failed');
              }),
            );
          }
          await batch.outcome;
        },
      });
      for (let i = 1; i <= 3; i++) await scheduleJob(database.db, { kind, dedupeKey: `${kind}:${i}`, runAt: T0, payload: {} }, T0);
      assert.deepEqual(await worker.runDue(T0), { ...NOTHING, retried: 3 });
      assert.deepEqual(await effectsOf(database.db, kind), []);
      assert.deepEqual(await worker.runDue(at(2000)), { ...NOTHING, done: 3 });
      assert.deepEqual(
        await effectsOf(database.db, kind),
        [1, 2, 3].map((i) => ({ dedupe_key: `${kind}:${i}`, attempt: 2, worker: 'w' })),
      );
      for (let i = 1; i <= 3; i++) {
        const job = await findJob(database.db, `${kind}:${i}`);
        assert.deepEqual([job?.status, job?.attempts, job?.lockedBy, job?.lastError], ['done', 2, null, 'Error: the batch failed']);
      }
    });

    it('fails a job at once on PermanentJobError', async () => {
      const kind = uniqueName('permanent');
      const worker = scheduler(database.db).register(kind, {
        transactional: true,
        run: async () => {
          throw new PermanentJobError('standing order was cancelled');
        },
      });
      await scheduleJob(database.db, { kind, dedupeKey: `${kind}:1`, runAt: T0, payload: {}, maxAttempts: 5 }, T0);
      assert.deepEqual(await worker.runDue(T0), { ...NOTHING, failed: 1 });
      const job = await findJob(database.db, `${kind}:1`);
      assert.deepEqual([job?.status, job?.attempts, job?.lastError], ['failed', 1, 'PermanentJobError: standing order was cancelled']);
    });

    it('runs a job again once the lease of a worker that stopped answering has passed; the late result is discarded', async () => {
      const kind = uniqueName('lease');
      const key = `${kind}:1`;
      const started = deferred();
      const release = deferred();
      const runs: string[] = [];
      const dead = scheduler(database.db, { workerId: 'dead', leaseMs: MINUTE }).register(kind, {
        transactional: false,
        run: async () => {
          runs.push('dead');
          started.resolve();
          await release.promise;
        },
      });
      const alive = scheduler(database.db, { workerId: 'alive', leaseMs: MINUTE }).register(kind, {
        transactional: false,
        run: async (job) => void runs.push(`alive:${job.attempt}`),
      });
      await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: {} }, T0);
      const hung = dead.runDue(T0);
      await started.promise;
      let job = await findJob(database.db, key);
      assert.deepEqual([job?.status, job?.lockedBy, job?.attempts, job?.lockedUntil?.toISOString()], ['running', 'dead', 1, at(MINUTE).toISOString()]);
      assert.deepEqual(await alive.runDue(at(MINUTE - 1)), NOTHING);
      assert.deepEqual(await alive.runDue(at(MINUTE)), { ...NOTHING, done: 1 });
      job = await findJob(database.db, key);
      assert.deepEqual([job?.status, job?.attempts, job?.lockedBy], ['done', 2, null]);
      release.resolve();
      assert.deepEqual(await hung, { ...NOTHING, lost: 1 });
      job = await findJob(database.db, key);
      assert.deepEqual([job?.status, job?.attempts, job?.finishedAt?.toISOString()], ['done', 2, at(MINUTE).toISOString()]);
      assert.deepEqual(runs, ['dead', 'alive:2']);
    });

    it('does not let a stale run settle the newer claim the same worker took after its own lease expired', async () => {
      const kind = uniqueName('stale');
      const key = `${kind}:1`;
      const started = [deferred(), deferred()];
      const release = [deferred(), deferred()];
      const worker = scheduler(database.db, { workerId: 'same', leaseMs: MINUTE }).register(kind, {
        transactional: false,
        run: async (job) => {
          started[job.attempt - 1]!.resolve();
          await release[job.attempt - 1]!.promise;
        },
      });
      await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: {} }, T0);
      const first = worker.runDue(T0);
      await started[0]!.promise;
      const second = worker.runDue(at(MINUTE));
      await started[1]!.promise;
      release[0]!.resolve();
      assert.deepEqual(await first, { ...NOTHING, lost: 1 });
      let job = await findJob(database.db, key);
      assert.deepEqual([job?.status, job?.attempts, job?.lockedBy], ['running', 2, 'same']);
      release[1]!.resolve();
      assert.deepEqual(await second, { ...NOTHING, done: 1 });
      job = await findJob(database.db, key);
      assert.deepEqual([job?.status, job?.attempts], ['done', 2]);
    });

    it('runs at most maxRunning jobs of a kind at once, the others of the kind waiting pending while other kinds run', async () => {
      const kind = uniqueName('limited');
      const other = uniqueName('unlimited');
      const release = deferred();
      const started = deferred();
      let running = 0;
      let most = 0;
      const order: string[] = [];
      const worker = scheduler(database.db, { concurrency: 4 })
        .register(
          kind,
          {
            transactional: false,
            run: async (job) => {
              running += 1;
              most = Math.max(most, running);
              order.push(job.dedupeKey);
              started.resolve();
              if (job.dedupeKey.endsWith(':1')) await release.promise;
              running -= 1;
            },
          },
          { maxRunning: 1 },
        )
        .register(other, { transactional: false, run: async (job) => void order.push(job.dedupeKey) });
      // Due in this order: the three of the limited kind, then the other.
      for (const i of [1, 2, 3]) await scheduleJob(database.db, { kind, dedupeKey: `${kind}:${i}`, runAt: at(i - 4), payload: {} }, T0);
      await scheduleJob(database.db, { kind: other, dedupeKey: `${other}:1`, runAt: T0, payload: {} }, T0);
      const pass = worker.runDue(T0);
      await started.promise;
      while (!order.includes(`${other}:1`)) await new Promise((resolve) => setTimeout(resolve, 5));
      // While the first runs, the other two of its kind are pending, unclaimed and with no attempt counted.
      assert.deepEqual(
        await Promise.all([2, 3].map(async (i) => { const job = await findJob(database.db, `${kind}:${i}`); return [job?.status, job?.attempts]; })),
        [['pending', 0], ['pending', 0]],
      );
      release.resolve();
      assert.deepEqual(await pass, { ...NOTHING, done: 4 });
      assert.equal(most, 1);
      assert.deepEqual(order.filter((key) => key.startsWith(kind)), [`${kind}:1`, `${kind}:2`, `${kind}:3`]);
      assert.throws(() => worker.register(uniqueName('bad'), { transactional: false, run: async () => undefined }, { maxRunning: 0 }), RangeError);
    });

    it('keeps a long standalone run that renews its lease from being taken over; a renewal after a take-over answers false', async () => {
      const kind = uniqueName('renewed');
      const key = `${kind}:1`;
      let now = T0;
      const started = deferred();
      const renewed = deferred();
      const release = deferred();
      const renewals: boolean[] = [];
      let aliveRuns = 0;
      const long = scheduler(database.db, { workerId: 'long', leaseMs: MINUTE, clock: () => now }).register(kind, {
        transactional: false,
        run: async (_job, _completion, lease) => {
          started.resolve();
          await renewed.promise;
          renewals.push(await lease.renew());
          await release.promise;
          renewals.push(await lease.renew());
        },
      });
      const other = scheduler(database.db, { workerId: 'other', leaseMs: MINUTE }).register(kind, {
        transactional: false,
        run: async () => void (aliveRuns += 1),
      });
      await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: {} }, T0);
      const running = long.runDue();
      await started.promise;
      now = at(50_000);
      renewed.resolve();
      while (renewals.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal((await findJob(database.db, key))?.lockedUntil?.toISOString(), at(50_000 + MINUTE).toISOString());
      // A minute after the claim the first lease would have expired; the renewed one has not.
      assert.deepEqual(await other.runDue(at(MINUTE + 1)), NOTHING);
      // Past the renewed lease (the run stopped renewing), the job is taken over and run to its end.
      assert.deepEqual(await other.runDue(at(50_000 + MINUTE + 1)), { ...NOTHING, done: 1 });
      release.resolve();
      assert.deepEqual(await running, { ...NOTHING, lost: 1 });
      assert.deepEqual([renewals, aliveRuns], [[true, false], 1]);
    });

    it('marks failed, without running it again, a job whose worker stopped during its last attempt', async () => {
      const kind = uniqueName('last-attempt');
      const key = `${kind}:1`;
      const started = deferred();
      const release = deferred();
      let aliveRuns = 0;
      const dead = scheduler(database.db, { workerId: 'dead', leaseMs: MINUTE }).register(kind, {
        transactional: false,
        run: async () => {
          started.resolve();
          await release.promise;
        },
      });
      const alive = scheduler(database.db, { workerId: 'alive', leaseMs: MINUTE }).register(kind, {
        transactional: false,
        run: async () => void (aliveRuns += 1),
      });
      await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: {}, maxAttempts: 1 }, T0);
      const hung = dead.runDue(T0);
      await started.promise;
      assert.deepEqual(await alive.runDue(at(MINUTE)), { ...NOTHING, failed: 1 });
      const job = await findJob(database.db, key);
      assert.deepEqual([job?.status, job?.attempts, job?.lastError, job?.finishedAt?.toISOString()], ['failed', 1, LEASE_EXPIRED_ON_LAST_ATTEMPT, at(MINUTE).toISOString()]);
      release.resolve();
      assert.deepEqual(await hung, { ...NOTHING, lost: 1 });
      assert.equal((await findJob(database.db, key))?.status, 'failed');
      assert.equal(aliveRuns, 0);
    });

    it('picks up pending jobs in a new Scheduler on the same database (restart)', async () => {
      const kind = uniqueName('restart');
      const runs: string[] = [];
      const handler = { transactional: false as const, run: async (job: ClaimedJob) => void runs.push(job.dedupeKey) };
      const before = scheduler(database.db).register(kind, handler);
      for (const n of [1, 2, 3]) await scheduleJob(database.db, { kind, dedupeKey: `${kind}:${n}`, runAt: at(n * HOUR), payload: {} }, T0);
      assert.deepEqual(await before.runDue(T0), NOTHING);
      await before.stop();
      // A new process: its own connection pool on PostgreSQL, the same embedded database on PGlite.
      let handle: DatabaseHandle = database;
      if (dialect === 'postgres') handle = await createDatabase({ url: database.url, poolSize: 2 });
      try {
        const after = scheduler(handle.db).register(kind, handler);
        assert.deepEqual(await after.runDue(at(2 * HOUR)), { ...NOTHING, done: 2 });
        assert.deepEqual(await after.runDue(at(3 * HOUR)), { ...NOTHING, done: 1 });
      } finally {
        if (handle !== database) await handle.close();
      }
      assert.deepEqual(runs, [1, 2, 3].map((n) => `${kind}:${n}`));
    });

    it('leaves jobs of kinds it has no handler for', async () => {
      const kind = uniqueName('foreign');
      await scheduleJob(database.db, { kind, dedupeKey: `${kind}:1`, runAt: T0, payload: {} }, T0);
      const other = scheduler(database.db).register(uniqueName('other'), { transactional: false, run: async () => undefined });
      assert.deepEqual(await other.runDue(at(HOUR)), NOTHING);
      assert.deepEqual(await scheduler(database.db).runDue(at(HOUR)), NOTHING);
      const job = await findJob(database.db, `${kind}:1`);
      assert.deepEqual([job?.status, job?.attempts], ['pending', 0]);
      assert.throws(() => other.register(kind, { transactional: false, run: async () => undefined }).register(kind, { transactional: false, run: async () => undefined }));
    });

    it('runs at most transactionalConcurrency transactional jobs at once, while standalone ones fill the other lanes', async () => {
      const kind = uniqueName('tx_limit');
      let inTransaction = 0;
      let mostInTransaction = 0;
      const waiting: Array<() => void> = [];
      const worker = scheduler(database.db, { concurrency: 6, transactionalConcurrency: 2 })
        .register(`${kind}_tx`, {
          transactional: true,
          run: async () => {
            mostInTransaction = Math.max(mostInTransaction, ++inTransaction);
            await new Promise((resolve) => setTimeout(resolve, 30));
            inTransaction -= 1;
          },
        })
        // Each of three standalone jobs waits until all three are under way: they need three lanes at once.
        .register(`${kind}_standalone`, {
          transactional: false,
          run: () =>
            new Promise<void>((resolve) => {
              waiting.push(resolve);
              if (waiting.length === 3) for (const release of waiting) release();
            }),
        });
      for (let i = 0; i < 3; i++) {
        await scheduleJob(database.db, { kind: `${kind}_tx`, dedupeKey: `${kind}:tx:${i}`, runAt: T0, payload: {} }, T0);
        await scheduleJob(database.db, { kind: `${kind}_standalone`, dedupeKey: `${kind}:standalone:${i}`, runAt: T0, payload: {} }, T0);
      }
      assert.deepEqual(await worker.runDue(T0), { ...NOTHING, done: 6 });
      assert.ok(mostInTransaction >= 1 && mostInTransaction <= 2, `at most 2 transactional jobs at once, saw ${mostInTransaction}`);
    });

    it('starts a job announced while another runs on a free lane, without waiting for the running one', async () => {
      const kind = uniqueName('lanes');
      const release = deferred();
      const slowStarted = deferred();
      const quickDone = deferred();
      const worker = scheduler(database.db, { concurrency: 2, pollMs: 3_600_000 });
      // The first poll runs at start, before any handler exists, so it claims nothing: both jobs are
      // announced by wake-ups, the second while the pass of the first still runs it.
      worker.start();
      await new Promise((resolve) => setTimeout(resolve, 0));
      worker.register<{ slow: boolean }>(kind, {
        transactional: false,
        run: async (job) => {
          if (job.payload.slow) {
            slowStarted.resolve();
            await release.promise;
          } else quickDone.resolve();
        },
      });
      await scheduleJob(database.db, { kind, dedupeKey: `${kind}:slow`, runAt: at(-1), payload: { slow: true } }, T0);
      worker.nudge();
      try {
        await slowStarted.promise;
        await scheduleJob(database.db, { kind, dedupeKey: `${kind}:quick`, runAt: at(-1), payload: { slow: false } }, T0);
        worker.nudge();
        await quickDone.promise;
        assert.equal((await findJob(database.db, `${kind}:slow`))?.status, 'running', 'the slow job is still running');
      } finally {
        release.resolve();
        await worker.stop();
      }
      assert.deepEqual(
        await Promise.all(['slow', 'quick'].map(async (name) => (await findJob(database.db, `${kind}:${name}`))?.status)),
        ['done', 'done'],
      );
    });

    it('stop() waits for the running job and claims nothing it cannot start', async () => {
      const kind = uniqueName('stop');
      const started = deferred();
      const release = deferred();
      const runs: string[] = [];
      const worker = scheduler(database.db, { concurrency: 1, batchSize: 3, pollMs: 5 }).register(kind, {
        transactional: false,
        run: async (job) => {
          runs.push(job.dedupeKey);
          started.resolve();
          await release.promise;
        },
      });
      for (const n of [1, 2, 3]) await scheduleJob(database.db, { kind, dedupeKey: `${kind}:${n}`, runAt: at(n - 10), payload: {} }, T0);
      worker.start();
      await started.promise;
      let stopped = false;
      const stopping = worker.stop().then(() => {
        stopped = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(stopped, false, 'stop() waits while a job runs');
      release.resolve();
      await stopping;
      assert.deepEqual(runs, [`${kind}:1`]);
      const states = await Promise.all([1, 2, 3].map(async (n) => (await findJob(database.db, `${kind}:${n}`))!));
      assert.deepEqual(
        states.map((job) => [job.status, job.attempts, job.lockedBy]),
        [
          ['done', 1, null],
          ['pending', 0, null],
          ['pending', 0, null],
        ],
      );
      assert.deepEqual(await worker.runDue(T0), { ...NOTHING, done: 2 });
    });
  });
}

describe('scheduler settings', () => {
  it('retryDelayMs doubles from the base and stops at the cap', () => {
    const policy = { baseMs: 10_000, maxMs: 15 * MINUTE };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 1000].map((attempt) => retryDelayMs(attempt, policy)),
      [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 900_000, 900_000],
    );
    assert.throws(() => retryDelayMs(0, policy), RangeError);
  });

  it('a Scheduler is refused options that would never claim or never let go', () => {
    for (const options of [{ batchSize: 0 }, { concurrency: 0 }, { transactionalConcurrency: 0 }, { leaseMs: -1 }, { pollMs: 0.5 }]) {
      assert.throws(() => new Scheduler({} as Db, silentLogger, options), RangeError, JSON.stringify(options));
    }
  });
});

describe('schedulers in several processes (PostgreSQL)', () => {
  let database: TestDatabase;
  const handles: DatabaseHandle[] = [];

  before(async () => {
    database = await openTestDatabase('postgres');
    await createEffectsTable(database.db);
    // Each scheduler has its own connection pool, as separate processes would.
    for (let i = 0; i < 4; i++) handles.push(await createDatabase({ url: database.url, poolSize: 6 }));
  });
  after(async () => {
    for (const handle of handles) await handle.close();
    await database.close();
  });

  it('schedule each of 200 keys once and run each of the 200 due jobs exactly once between them', async () => {
    const txKind = uniqueName('race_tx');
    const plainKind = uniqueName('race_plain');
    const keys = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? `${txKind}:${i}` : `${plainKind}:${i}`));
    // All four schedule the same keys at once: each key is created by exactly one of them.
    const created = await Promise.all(
      handles.map(async (handle) => {
        let count = 0;
        for (const key of keys) {
          const kind = key.startsWith(txKind) ? txKind : plainKind;
          if ((await scheduleJob(handle.db, { kind, dedupeKey: key, runAt: at(-MINUTE), payload: { key } }, T0)).created) count += 1;
        }
        return count;
      }),
    );
    assert.equal(created.reduce((a, b) => a + b, 0), 200);

    const plainRuns = new Map<string, number>();
    // Every scheduler's first job waits until all four are running one, so all of them take part.
    const everyoneStarted = deferred();
    const startedWorkers = new Set<string>();
    const firstRun = async (workerId: string) => {
      if (startedWorkers.has(workerId)) return;
      startedWorkers.add(workerId);
      if (startedWorkers.size === handles.length) everyoneStarted.resolve();
      await everyoneStarted.promise;
    };
    const schedulers = handles.map((handle, i) =>
      scheduler(handle.db, { workerId: `process-${i}`, batchSize: 10, concurrency: 4 })
        .register<{ key: string }>(txKind, {
          transactional: true,
          run: async (job, trx) => {
            await firstRun(`process-${i}`);
            await sql`INSERT INTO scheduler_test_effects VALUES (${job.payload.key}, ${job.attempt}, ${`process-${i}`})`.execute(trx);
          },
        })
        .register<{ key: string }>(plainKind, {
          transactional: false,
          run: async (job) => {
            await firstRun(`process-${i}`);
            await new Promise((resolve) => setImmediate(resolve));
            plainRuns.set(job.payload.key, (plainRuns.get(job.payload.key) ?? 0) + 1);
          },
        }),
    );
    const reports = await Promise.all(schedulers.map((s) => s.runDue(T0)));

    assert.deepEqual(
      reports.reduce((sum, r) => ({ done: sum.done + r.done, retried: sum.retried + r.retried, failed: sum.failed + r.failed, lost: sum.lost + r.lost, released: sum.released + r.released })),
      { ...NOTHING, done: 200 },
    );
    for (const report of reports) assert.ok(report.done > 0, 'every process ran jobs');
    const effects = await effectsOf(database.db, txKind);
    assert.deepEqual(
      effects.map((e) => e.dedupe_key),
      keys.filter((k) => k.startsWith(txKind)).sort(),
    );
    assert.deepEqual(
      [...plainRuns.keys()].sort(),
      keys.filter((k) => k.startsWith(plainKind)).sort(),
    );
    assert.deepEqual([...new Set(plainRuns.values())], [1]);
    const { rows } = await sql<{ status: string; attempts: number; n: number }>`
      SELECT status, attempts, count(*)::int AS n FROM scheduled_jobs WHERE kind IN (${txKind}, ${plainKind}) GROUP BY status, attempts`.execute(database.db);
    assert.deepEqual(rows, [{ status: 'done', attempts: 1, n: 200 }]);
  });

  it('keeps a slow transactional run’s job to it past the lease: its row lock keeps others off', async () => {
    const kind = uniqueName('slow');
    const key = `${kind}:1`;
    const started = deferred();
    const release = deferred();
    const slow = scheduler(handles[0]!.db, { workerId: 'slow', leaseMs: MINUTE }).register(kind, {
      transactional: true,
      run: async (job, trx) => {
        started.resolve();
        await release.promise;
        await sql`INSERT INTO scheduler_test_effects VALUES (${job.dedupeKey}, ${job.attempt}, 'slow')`.execute(trx);
      },
    });
    const other = scheduler(handles[1]!.db, { workerId: 'other', leaseMs: MINUTE }).register(kind, {
      transactional: true,
      run: async (job, trx) => {
        await sql`INSERT INTO scheduler_test_effects VALUES (${job.dedupeKey}, ${job.attempt}, 'other')`.execute(trx);
      },
    });
    await scheduleJob(database.db, { kind, dedupeKey: key, runAt: T0, payload: {} }, T0);
    const running = slow.runDue(T0);
    await started.promise;
    assert.deepEqual(await other.runDue(at(10 * MINUTE)), NOTHING);
    release.resolve();
    assert.deepEqual(await running, { ...NOTHING, done: 1 });
    assert.deepEqual(await other.runDue(at(20 * MINUTE)), NOTHING);
    assert.deepEqual(await effectsOf(database.db, kind), [{ dedupe_key: key, attempt: 1, worker: 'slow' }]);
  });
  it('a follow-up scheduled by a run that ends while the next claim is under way runs in the same pass (lost wake-up)', async () => {
    const kind = uniqueName('follow_up');
    const followUpKind = uniqueName('follow_up_next');
    const ran: string[] = [];
    // The second claim's rows are read before the slow job schedules its follow-up, and handed to
    // the scheduler only after that job's run has been recorded: the follow-up is due meanwhile.
    const secondClaimRead = deferred();
    const slowRecorded = deferred();
    const claims = new WeakSet<object>();
    let claimsSeen = 0;
    const holdSecondClaim: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        // The claim: the statement that reads due jobs skipping locked rows (in a common table expression).
        const skipsLocked = (query: { endModifiers?: ReadonlyArray<{ modifier?: string }> }) => query.endModifiers?.some((m) => m.modifier === 'SkipLocked') ?? false;
        if (node.kind === 'SelectQueryNode' && (skipsLocked(node) || node.with?.expressions.some((cte) => skipsLocked(cte.expression as never)))) claims.add(queryId);
        return node as RootOperationNode;
      },
      transformResult: async ({ queryId, result }) => {
        if (claims.has(queryId) && ++claimsSeen === 2) {
          secondClaimRead.resolve();
          await slowRecorded.promise;
        }
        return result;
      },
    };
    const [own, other] = handles;
    const worker = new Scheduler(own!.db.withPlugin(holdSecondClaim), silentLogger, { clock: () => T0, concurrency: 4 })
      .register(kind, {
        transactional: false,
        run: async (job) => {
          ran.push(job.dedupeKey);
          if (!job.dedupeKey.endsWith(':slow')) return;
          await secondClaimRead.promise;
          await scheduleJob(other!.db, { kind: followUpKind, dedupeKey: `${kind}:follow-up`, runAt: T0, payload: {} }, T0);
        },
      })
      .register(followUpKind, { transactional: false, run: async (job) => void ran.push(job.dedupeKey) });
    await scheduleJob(own!.db, { kind, dedupeKey: `${kind}:quick`, runAt: at(-2 * MINUTE), payload: {} }, T0);
    await scheduleJob(own!.db, { kind, dedupeKey: `${kind}:slow`, runAt: at(-MINUTE), payload: {} }, T0);
    const pass = worker.runDue();
    // The slow job is recorded done on the scheduler's own pool; then its lane's bookkeeping runs.
    for (;;) {
      if ((await findJob(other!.db, `${kind}:slow`))?.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setImmediate(resolve));
    slowRecorded.resolve();
    assert.deepEqual(await pass, { ...NOTHING, done: 3 });
    assert.deepEqual(ran, [`${kind}:quick`, `${kind}:slow`, `${kind}:follow-up`]);
    assert.equal((await findJob(other!.db, `${kind}:follow-up`))?.status, 'done');
  });
});
