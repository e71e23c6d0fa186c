import { describe, it, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createAuditModule, type AuditApi, type AuditEntry, type CheckpointSigner, type VerificationRun } from '../../../src/modules/audit/index.ts';
import { createKyselyAuditRepository } from '../../../src/modules/audit/infra/kysely-audit-repository.ts';
import { createKyselyAuditVerificationStore } from '../../../src/modules/audit/infra/kysely-audit-verification-store.ts';
import { verificationJob } from '../../../src/modules/audit/verification-runs.ts';
import { LEASE_EXPIRED_ON_LAST_ATTEMPT, Scheduler, findJob, type ClaimedJob } from '../../../src/platform/scheduler/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import { testCheckpointSigner } from '../../support/audit-signer.ts';

const SETTINGS = { maxBuffered: 10_000, batchSize: 4, flushIntervalMs: 10_000, overflow: 'refuse' as const, retentionDays: 30 };

const entry = (day: string, n: number): AuditEntry => ({ at: new Date(`${day}T10:00:${String(n).padStart(2, '0')}.000Z`), kind: 'api-call', action: 'GET /open-banking/v4.0/aisp/accounts', outcome: '200', clientId: 'client-1', details: { n } });
const NO_COMPLETION = { in: async () => undefined };

for (const dialect of DIALECTS) {
  describe(`audit verification runs (${dialect})`, () => {
    let database: TestDatabase;
    let signer: CheckpointSigner;
    let audit: AuditApi;
    let finished: VerificationRun[];
    let wakes: number;
    let worker: Scheduler;

    before(async () => {
      database = await openTestDatabase(dialect);
      signer = await testCheckpointSigner();
    });
    after(() => database.close());
    beforeEach(async () => {
      await sql`TRUNCATE audit_records, audit_checkpoints, audit_partitions, audit_verifications CASCADE`.execute(database.db);
      await sql`DELETE FROM scheduled_jobs WHERE kind = 'audit.verify'`.execute(database.db);
      finished = [];
      wakes = 0;
      audit = createAuditModule({ db: database.db, pgConnection: database.pgConnection, signer, settings: SETTINGS, logger: silentLogger, onVerificationRequested: () => void (wakes += 1), onVerificationFinished: (run) => void finished.push(run) });
      audit.start();
      worker = new Scheduler(database.db, silentLogger).register(audit.verificationJob.kind, audit.verificationJob.handler);
      // Two days: eight records in two checkpointed batches, then four in one.
      await audit.recordDurably([...Array.from({ length: 8 }, (_, i) => entry('2026-12-04', i + 1)), ...Array.from({ length: 4 }, (_, i) => entry('2026-12-05', i + 1))]);
    });
    afterEach(() => audit.stop());

    it('asks a worker to verify a range: queued with its job, then each day\'s verdict and the outcome', async () => {
      const id = await audit.requestVerification({ from: '2026-12-04', to: '2026-12-05' }, 'ops.alice');
      const queued = await audit.verification(id);
      assert.deepEqual([queued?.status, queued?.requestedBy, queued?.from, queued?.to, queued?.daysDone, queued?.records, queued?.days], ['queued', 'ops.alice', '2026-12-04', '2026-12-05', 0, 0, []]);
      assert.equal((await findJob(database.db, `audit-verification:${id}`))?.status, 'pending');
      assert.equal(wakes, 1);

      assert.equal((await worker.runDue()).done, 1);
      const run = await audit.verification(id);
      assert.deepEqual(
        { status: run?.status, daysTotal: run?.daysTotal, daysDone: run?.daysDone, records: run?.records, firstBreak: run?.firstBreak, error: run?.error, days: run?.days },
        {
          status: 'intact',
          daysTotal: 2,
          daysDone: 2,
          records: 12,
          firstBreak: undefined,
          error: undefined,
          days: [
            { partition: '2026-12-04', status: 'intact', records: 8, checkpoints: 2, break: undefined },
            { partition: '2026-12-05', status: 'intact', records: 4, checkpoints: 1, break: undefined },
          ],
        },
      );
      assert.ok(run?.startedAt && run.finishedAt && run.startedAt <= run.finishedAt);
      assert.deepEqual(finished.map((r) => [r.id, r.status]), [[id, 'intact']]);
      assert.deepEqual((await audit.verifications(10)).map((r) => [r.id, r.status]), [[id, 'intact']]);
    });

    it('a chain that does not verify is the run\'s outcome, with its first break, reported when it finishes', async () => {
      await sql`UPDATE audit_records SET outcome = '500' WHERE partition = '2026-12-05' AND seq = 3`.execute(database.db);
      const id = await audit.requestVerification({}, 'schedule');
      await worker.runDue();
      const run = await audit.verification(id);
      assert.deepEqual([run?.status, run?.firstBreak, run?.days.map((day) => day.status)], ['broken', { partition: '2026-12-05', seq: 3n, kind: 'modified', detail: 'record 3 does not hash to its stored hash' }, ['intact', 'broken']]);
      assert.deepEqual(finished.map((r) => [r.status, r.firstBreak?.kind]), [['broken', 'modified']]);
    });

    it('stores one run for an id asked for twice (the daily verification run again)', async () => {
      const first = await audit.requestVerification({ from: '2026-12-04', to: '2026-12-04' }, 'schedule', 'daily-2026-12-04');
      const second = await audit.requestVerification({ from: '2026-12-04', to: '2026-12-04' }, 'schedule', 'daily-2026-12-04');
      assert.deepEqual([first, second], ['daily-2026-12-04', 'daily-2026-12-04']);
      assert.deepEqual((await audit.verifications(10)).map((r) => r.id), ['daily-2026-12-04']);
      assert.equal((await worker.runDue()).done, 1);
    });

    it('names the days written into after a run proved them, until a run proves their records again', async () => {
      const week = { from: '2026-12-01', to: '2026-12-07' };
      // Not yet proved by any run: not for this check (the daily run of the day proves it).
      assert.deepEqual(await audit.daysGrownSinceVerified(week), []);
      await audit.requestVerification({ from: '2026-12-04', to: '2026-12-05' }, 'schedule', 'daily-both');
      await worker.runDue();
      assert.deepEqual(await audit.daysGrownSinceVerified(week), []);

      // A consumer catching up writes three records into 2026-12-04 after it was proved.
      await audit.recordDurably([20, 21, 22].map((n) => entry('2026-12-04', n)));
      assert.deepEqual(await audit.daysGrownSinceVerified(week), [{ day: '2026-12-04', records: 11n }]);
      assert.deepEqual(await audit.daysGrownSinceVerified({ from: '2026-12-05', to: '2026-12-07' }), [], 'only the days of the range');

      // A run that found the day broken proves nothing: the day stays named.
      await sql`UPDATE audit_records SET outcome = '500' WHERE partition = '2026-12-04' AND seq = 10`.execute(database.db);
      await audit.requestVerification({ from: '2026-12-04', to: '2026-12-04' }, 'ops.alice');
      await worker.runDue();
      assert.deepEqual(await audit.daysGrownSinceVerified(week), [{ day: '2026-12-04', records: 11n }]);
      await sql`UPDATE audit_records SET outcome = '200' WHERE partition = '2026-12-04' AND seq = 10`.execute(database.db);

      await audit.requestVerification({ from: '2026-12-04', to: '2026-12-04' }, 'schedule', 'daily-2026-12-04-to-11');
      await worker.runDue();
      assert.equal((await audit.verification('daily-2026-12-04-to-11'))?.status, 'intact');
      assert.deepEqual(await audit.daysGrownSinceVerified(week), []);
    });

    it('runs operators\' verifications one at a time: another is refused while one is under way; the daily one is not', async () => {
      const first = await audit.requestVerification({ from: '2026-12-04' }, 'ops.alice');
      await assert.rejects(audit.requestVerification({ from: '2026-12-05' }, 'ops.bob'), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'AUDIT.VERIFICATION_UNDER_WAY');
        assert.match(error.message, new RegExp(`^A verification asked for by ops\\.alice at \\S+ is under way \\(${first}\\)`));
        return true;
      });
      const daily = await audit.requestVerification({ from: '2026-12-05', to: '2026-12-05' }, 'schedule', 'daily-2026-12-05');
      assert.deepEqual((await audit.verifications(10)).map((run) => run.id).sort(), [first, daily].sort());
      assert.equal((await worker.runDue()).done, 2);
      const next = await audit.requestVerification({ from: '2026-12-05' }, 'ops.bob');
      assert.equal((await audit.verification(next))?.status, 'queued');
    });

    it('reads as failed a run whose job ended without its outcome (its worker stopped during the last attempt), and no longer holds the next back', async () => {
      const id = await audit.requestVerification({}, 'ops.alice');
      await sql`UPDATE audit_verifications SET status = 'running' WHERE id = ${id}`.execute(database.db);
      await sql`UPDATE scheduled_jobs SET status = 'failed', last_error = ${LEASE_EXPIRED_ON_LAST_ATTEMPT}, finished_at = now() WHERE dedupe_key = ${`audit-verification:${id}`}`.execute(database.db);
      const run = await audit.verification(id);
      assert.deepEqual([run?.status, run?.error], ['failed', LEASE_EXPIRED_ON_LAST_ATTEMPT]);
      assert.deepEqual((await audit.verifications(1)).map((r) => [r.id, r.status]), [[id, 'failed']]);
      await sql`DELETE FROM scheduled_jobs WHERE dedupe_key = ${`audit-verification:${id}`}`.execute(database.db);
      assert.deepEqual([(await audit.verification(id))?.status, (await audit.verification(id))?.error], ['failed', 'its job ended without recording an outcome']);
      const next = await audit.requestVerification({}, 'ops.bob');
      assert.equal((await audit.verification(next))?.status, 'queued');
    });

    it('forgets finished runs asked for longer ago than the trail keeps records, with their days, and keeps one still under way', async () => {
      const old = await audit.requestVerification({ from: '2026-12-04', to: '2026-12-05' }, 'ops.alice');
      assert.equal((await worker.runDue()).done, 1);
      const stillQueued = await audit.requestVerification({ from: '2026-12-05', to: '2026-12-05' }, 'schedule', 'daily-2026-12-05');
      const recent = await audit.requestVerification({ from: '2026-12-04', to: '2026-12-04' }, 'schedule', 'daily-2026-12-04');
      await sql`UPDATE audit_verifications SET status = 'intact', finished_at = now() WHERE id = ${recent}`.execute(database.db);
      // Retention is 30 days: the first two were asked for 31 days before the retention run, the last 29.
      const retentionRun = new Date('2027-02-01T00:00:00Z');
      const daysAgo = (days: number) => new Date(retentionRun.getTime() - days * 86_400_000);
      for (const [id, days] of [[old, 31], [stillQueued, 31], [recent, 29]] as const) await sql`UPDATE audit_verifications SET requested_at = ${daysAgo(days)} WHERE id = ${id}`.execute(database.db);
      await audit.expire(retentionRun);
      assert.deepEqual((await audit.verifications(10)).map((run) => run.id).sort(), [recent, stillQueued].sort());
      const days = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_verification_days WHERE verification_id = ${old}`.execute(database.db);
      assert.equal(days.rows[0]!.n, '0', 'the run\'s days went with it');
    });

    it('refuses a range that is not two calendar days in order, and stores nothing', async () => {
      await assert.rejects(audit.requestVerification({ from: '2026-02-30' }, 'ops.alice'), { code: 'AUDIT.QUERY_INVALID' });
      await assert.rejects(audit.requestVerification({ from: '2026-12-05', to: '2026-12-04' }, 'ops.alice'), { code: 'AUDIT.QUERY_INVALID' });
      assert.deepEqual(await audit.verifications(10), []);
      assert.equal(wakes, 0);
    });

    it('stops when its job was taken over, saving progress as it reads; run again, it starts over and counts each day once', async () => {
      const id = await audit.requestVerification({}, 'ops.alice');
      const store = createKyselyAuditVerificationStore(database.db);
      const repository = createKyselyAuditRepository(database.db, database.pgConnection);
      const renewals: boolean[] = [];
      const handler = verificationJob({ store, snapshot: (read) => repository.snapshot(read), signer, heartbeatMs: 0 });
      const job: ClaimedJob<{ id: string }> = { id: 'claim', kind: 'audit.verify', dedupeKey: `audit-verification:${id}`, runAt: new Date(), payload: { id }, attempt: 1, maxAttempts: 3, claimedAt: new Date() };
      // The lease is lost after the first day.
      await assert.rejects(handler.run(job, NO_COMPLETION, { renew: async () => (renewals.push(renewals.length === 0), renewals.length === 1) }), /taken over/);
      const stopped = await audit.verification(id);
      assert.deepEqual([stopped?.status, stopped?.daysDone, stopped?.records, stopped?.days.map((day) => day.partition)], ['running', 1, 8, ['2026-12-04']]);
      assert.ok(renewals.length >= 2 && renewals[0] === true && renewals.at(-1) === false);

      assert.equal((await worker.runDue()).done, 1);
      const run = await audit.verification(id);
      assert.deepEqual([run?.status, run?.daysTotal, run?.daysDone, run?.records, run?.days.map((day) => day.partition)], ['intact', 2, 2, 12, ['2026-12-04', '2026-12-05']]);
    });

    it('retries a run the database failed, and records it as failed after the last attempt', async () => {
      const id = await audit.requestVerification({}, 'ops.alice');
      const store = createKyselyAuditVerificationStore(database.db);
      const handler = verificationJob({ store, snapshot: async () => Promise.reject(new Error('connection terminated')), signer, onFinished: (run) => void finished.push(run) });
      const job = (attempt: number): ClaimedJob<{ id: string }> => ({ id: 'claim', kind: 'audit.verify', dedupeKey: `audit-verification:${id}`, runAt: new Date(), payload: { id }, attempt, maxAttempts: 3, claimedAt: new Date() });
      const lease = { renew: async () => true };
      await assert.rejects(handler.run(job(1), NO_COMPLETION, lease), /connection terminated/);
      assert.equal((await audit.verification(id))?.status, 'running');
      await handler.run(job(3), NO_COMPLETION, lease);
      const run = await audit.verification(id);
      assert.deepEqual([run?.status, run?.error, finished.map((r) => r.status)], ['failed', 'connection terminated', ['failed']]);
      // A finished run is not run again.
      await handler.run(job(3), NO_COMPLETION, lease);
      assert.deepEqual(finished.map((r) => r.status), ['failed']);
    });
  });
}
