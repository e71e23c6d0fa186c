import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createDatabase, type DatabaseHandle } from '../../src/platform/db/index.ts';
import { InProcessWake, JOB_WAKE_CHANNEL, PostgresWake, Scheduler, findJob, scheduleJob, type JobWake } from '../../src/platform/scheduler/index.ts';
import { DIALECTS, openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { waitFor } from '../support/wait-for.ts';

/** A listener that counts its calls and resolves `next()` on the following one. */
function countingListener() {
  let calls = 0;
  let waiting: (() => void) | undefined;
  return {
    listener: () => {
      calls += 1;
      waiting?.();
    },
    get calls() {
      return calls;
    },
    next: () => new Promise<void>((resolve) => (waiting = resolve)),
    /** Sends a wake-up and returns once this listener has heard it. */
    async hear(wake: JobWake): Promise<void> {
      const woken = this.next();
      wake.wake();
      await woken;
    },
  };
}

/** Lets queued microtasks and ready I/O callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('job wake-ups in one process (PGlite)', () => {
  it('reaches every listener after the caller’s own work, and none once stopped', async () => {
    const wake = new InProcessWake();
    const first = countingListener();
    const second = countingListener();
    const stopFirst = await wake.listen(first.listener);
    await wake.listen(second.listener);
    wake.wake();
    assert.equal(first.calls, 0, 'not inside the caller’s call');
    await settle();
    assert.deepEqual([first.calls, second.calls], [1, 1]);
    await stopFirst();
    wake.wake();
    await settle();
    assert.deepEqual([first.calls, second.calls], [1, 2]);
  });
});

describe('job wake-ups across processes (PostgreSQL LISTEN/NOTIFY)', () => {
  let database: TestDatabase;
  let other: DatabaseHandle;

  before(async () => {
    database = await openTestDatabase('postgres');
    // Another process: a pool of its own on the same database.
    other = await createDatabase({ url: database.url, poolSize: 2 });
  });
  after(async () => {
    await other?.close();
    await database?.close();
  });

  it('a wake-up sent through one process’s pool reaches a worker listening in another', async () => {
    const api = new PostgresWake(database.db, database.url!, silentLogger);
    const worker = countingListener();
    const stop = await new PostgresWake(other.db, database.url!, silentLogger).listen(worker.listener);
    try {
      await worker.hear(api);
      assert.equal(worker.calls, 1);
    } finally {
      await stop();
    }
  });

  it('a process that runs jobs itself wakes its own listener at once and notifies no other process', async () => {
    const wake = new PostgresWake(database.db, database.url!, silentLogger);
    const own = countingListener();
    const stopOwn = await wake.listen(own.listener);
    // Another process on the database: it would hear a notification through PostgreSQL.
    const otherWake = new PostgresWake(other.db, database.url!, silentLogger);
    const worker = countingListener();
    const stopWorker = await otherWake.listen(worker.listener);
    try {
      wake.wake();
      assert.equal(own.calls, 0, 'not inside the caller’s call');
      await settle();
      assert.equal(own.calls, 1, 'before any round trip through the database');
      // A wake-up an API process (no listener of its own) sends afterwards reaches both: PostgreSQL
      // delivers notifications in commit order, so had the first been sent, the worker would hear it first.
      const api = new PostgresWake(database.db, database.url!, silentLogger);
      const heard = worker.next();
      api.wake();
      await heard;
      assert.equal(worker.calls, 1, 'the other process heard only the API process’s wake-up');
      await waitFor(() => own.calls === 2, 'the API process’s wake-up reaches the first process too');
    } finally {
      await stopWorker();
      await stopOwn();
    }
  });

  it('a listener whose connection is cut reconnects, is called once for what it may have missed, and hears later wake-ups', async () => {
    const worker = countingListener();
    const wake = new PostgresWake(database.db, database.url!, silentLogger);
    const stop = await wake.listen(worker.listener);
    try {
      const reconnected = worker.next();
      const cut = await sql<{ cut: boolean }>`
        SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
        WHERE datname = current_database() AND query = ${`LISTEN ${JOB_WAKE_CHANNEL}`}`.execute(database.db);
      assert.deepEqual(cut.rows, [{ cut: true }]);
      await reconnected;
      assert.equal(worker.calls, 1);
      await worker.hear(wake);
      assert.equal(worker.calls, 2);
    } finally {
      await stop();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`a started scheduler woken up (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(dialect);
    });
    after(async () => {
      await database?.close();
    });

    it('runs a job submitted after its last poll at the wake-up, not at its next poll an hour later', async () => {
      const wake: JobWake = dialect === 'postgres' ? new PostgresWake(database.db, database.url!, silentLogger) : new InProcessWake();
      const scheduler = new Scheduler(database.db, silentLogger, { pollMs: 3_600_000 });
      const stop = await wake.listen(() => scheduler.nudge());
      try {
        // The first poll runs at start, before any handler exists, so it claims nothing.
        scheduler.start();
        await new Promise((resolve) => setTimeout(resolve, 0));
        const kind = uniqueName('woken');
        scheduler.register(kind, { transactional: false, run: async () => undefined });
        await scheduleJob(database.db, { kind, dedupeKey: `${kind}:1`, runAt: new Date(), payload: {} });
        wake.wake();
        await waitFor(async () => (await findJob(database.db, `${kind}:1`))?.status === 'done', 'the woken scheduler to run the job');
      } finally {
        await stop();
        await scheduler.stop();
      }
    });
  });
}
