import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Writable } from 'node:stream';
import { dailyAuditVerificationJob, reportVerification } from '../../src/app/audit-verification-jobs.ts';
import type { VerificationRun } from '../../src/modules/audit/index.ts';

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  return { logger: pino({ level: 'info' }, sink), lines };
}

const RUN: VerificationRun = { id: 'daily-2026-12-05', requestedBy: 'schedule', requestedAt: new Date('2026-12-06T00:00:00Z'), from: '2026-12-05', to: '2026-12-05', status: 'intact', daysTotal: 1, daysDone: 1, records: 1200 };

describe('audit verification jobs', () => {
  it('the daily job asks for the day that has just ended, under an id of that day', async () => {
    const asked: unknown[] = [];
    const { logger } = capturedLogger();
    const job = dailyAuditVerificationJob({ requestVerification: async (range, by, id) => (asked.push([range, by, id]), id ?? 'generated'), daysGrownSinceVerified: async () => [] }, logger);
    assert.deepEqual([job.kind, job.everyMs], ['audit.verify-daily', 86_400_000]);
    await job.run(new Date('2026-12-06T00:00:02Z'));
    await job.run(new Date('2027-01-01T00:00:00Z'));
    assert.deepEqual(asked, [
      [{ from: '2026-12-05', to: '2026-12-05' }, 'schedule', 'daily-2026-12-05'],
      [{ from: '2026-12-31', to: '2026-12-31' }, 'schedule', 'daily-2026-12-31'],
    ]);
  });

  it('asks again for the days of the week before that records were written into after they were proved, under an id naming their records now', async () => {
    const asked: unknown[] = [];
    const looked: unknown[] = [];
    const { logger, lines } = capturedLogger();
    const job = dailyAuditVerificationJob(
      {
        requestVerification: async (range, by, id) => (asked.push([range, by, id]), id ?? 'generated'),
        daysGrownSinceVerified: async (range) => (looked.push(range), [{ day: '2026-12-03', records: 1_500n }, { day: '2026-12-04', records: 20n }]),
      },
      logger,
    );
    await job.run(new Date('2026-12-06T00:00:02Z'));
    assert.deepEqual(looked, [{ from: '2026-11-28', to: '2026-12-04' }]);
    assert.deepEqual(asked, [
      [{ from: '2026-12-05', to: '2026-12-05' }, 'schedule', 'daily-2026-12-05'],
      [{ from: '2026-12-03', to: '2026-12-03' }, 'schedule', 'daily-2026-12-03-to-1500'],
      [{ from: '2026-12-04', to: '2026-12-04' }, 'schedule', 'daily-2026-12-04-to-20'],
    ]);
    assert.deepEqual(lines.slice(1).map((line) => [line['verificationId'], line['records'], line['msg']]), [
      ['daily-2026-12-03-to-1500', '1500', 'records were written into 2026-12-03 after it was verified: verifying it again'],
      ['daily-2026-12-04-to-20', '20', 'records were written into 2026-12-04 after it was verified: verifying it again'],
    ]);
  });

  it('reports a broken chain and a failed run as alerts, an intact one as information', () => {
    const { logger, lines } = capturedLogger();
    reportVerification(logger, { ...RUN, status: 'broken', firstBreak: { partition: '2026-12-05', seq: 41n, kind: 'deleted', detail: 'records 41–42 are missing' } });
    reportVerification(logger, { ...RUN, status: 'failed', error: 'connection terminated' });
    reportVerification(logger, RUN);
    assert.deepEqual(
      lines.map((line) => [line['level'], line['alert'], line['msg'], line['firstBreak']]),
      [
        [50, 'audit-chain-broken', 'the audit trail does not verify: deleted in 2026-12-05 at record 41', { partition: '2026-12-05', seq: '41', kind: 'deleted', detail: 'records 41–42 are missing' }],
        [50, 'audit-verification-failed', 'a verification of the audit trail could not be completed: connection terminated', undefined],
        [30, undefined, 'the audit trail verifies: 1200 records over 1 day(s)', undefined],
      ],
    );
  });
});
