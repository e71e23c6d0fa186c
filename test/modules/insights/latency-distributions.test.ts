import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInsightsModule, InsightsErrors, LATENCY_RELATIVE_ERROR, type ApiCall, type InsightsApi, type LatencyPercentiles } from '../../../src/modules/insights/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';

const ACCOUNTS = 'GET /open-banking/v4.0/aisp/accounts';
const PAYMENTS = 'POST /open-banking/v4.0/pisp/domestic-payments';
const at = (time: string) => new Date(`2026-04-15T${time}Z`);
const DAY = { from: at('00:00:00'), to: new Date('2026-04-16T00:00:00Z') };

function call(ttlbMs: number, overrides: Partial<ApiCall> = {}): ApiCall {
  return { at: at('10:05:00'), standard: 'uk-obie', service: 'account-information', endpoint: ACCOUNTS, clientId: 'client-a', statusCode: 200, rejected: false, ttfbMs: 1, ttlbMs, payloadBytes: 10, ...overrides };
}
const payment = (ttlbMs: number): ApiCall => call(ttlbMs, { endpoint: PAYMENTS, service: 'payment-initiation', clientId: 'client-b', statusCode: 201 });

/**
 * What each time reads as: its bucket's value to a tenth of a ms (bucket i holds (1.1^(i-1), 1.1^i]
 * and reads as 2·1.1^i/2.1): 2 ms is bucket 8, 16 → 30, 18 → 31, 30 → 36, 55 → 43, 200 → 56, 400 → 63.
 */
const READS = new Map([[2, 2], [16, 16.6], [18, 18.3], [30, 29.4], [55, 57.4], [200, 198.1], [400, 386]]);
/** The expected row, after checking that each figure is within the stated error of the exact one. */
function expected(key: string, calls: number, exact: [p50: number, p95: number, p99: number]): LatencyPercentiles {
  const [p50Ms, p95Ms, p99Ms] = exact.map((ms) => {
    const read = READS.get(ms)!;
    assert.ok(Math.abs(read - ms) / ms <= LATENCY_RELATIVE_ERROR + 0.005, `${ms} reads as ${read}`);
    return read;
  }) as [number, number, number];
  return { key, calls, p50Ms, p95Ms, p99Ms };
}

for (const dialect of DIALECTS) {
  describe(`insights: time-to-last-byte distributions on ${dialect}`, () => {
    let database: TestDatabase;
    let clock = at('10:00:00');
    let insights: InsightsApi;

    before(async () => {
      database = await openTestDatabase(dialect);
      insights = createInsightsModule({ db: database.db, now: () => clock });
      const a = insights.collector({ instanceId: 'a', now: () => clock, flushIntervalMs: 3_600_000 });
      const b = insights.collector({ instanceId: 'b', now: () => clock, flushIntervalMs: 3_600_000 });
      // 10:00–10:59, spread over two instances, each flushing twice.
      for (const ms of [10, 12, 14]) a.record(call(ms));
      a.record(call(2, { clientId: undefined, statusCode: 401 }));
      b.record(call(100));
      b.record(payment(50));
      await Promise.all([a.flush(), b.flush()]);
      for (const ms of [16, 18]) a.record(call(ms));
      b.record(call(200));
      for (const ms of [55, 60, 400]) b.record(payment(ms));
      await Promise.all([a.flush(), b.flush()]);
      // 11:00–11:59: three calls of 30 ms (one bucket), two on one instance, one on the other, both
      // adding to the same row at once: the counts add, neither overwrites.
      clock = at('11:30:00');
      a.record(call(30, { at: at('11:10:00') }));
      a.record(call(30, { at: at('11:20:00') }));
      b.record(call(30, { at: at('11:40:00') }));
      await Promise.all([a.stop(), b.stop()]);
      clock = at('12:00:00');
    });
    after(() => database.close());

    // The day's calls, by time to last byte:
    //   10:00 accounts client-a 10 12 14 16 18 100 200; accounts, no TPP 2; payments client-b 50 55 60 400
    //   11:00 accounts client-a 30 30 30

    it('per hour, every call: p50/p95/p99 of the hour by nearest rank', async () => {
      assert.deepEqual(await insights.latency({ ...DAY, by: 'hour' }), [
        // 12 calls: ranks 6, 12, 12 of 2 10 12 14 16 18 50 55 60 100 200 400.
        expected('2026-04-15T10:00:00.000Z', 12, [18, 400, 400]),
        expected('2026-04-15T11:00:00.000Z', 3, [30, 30, 30]),
      ]);
    });

    it('per day: the hours added up, bucket by bucket', async () => {
      // 15 calls: ranks 8, 15, 15 of 2 10 12 14 16 18 30 30 30 50 55 60 100 200 400.
      assert.deepEqual(await insights.latency({ ...DAY, by: 'day' }), [expected('2026-04-15', 15, [30, 400, 400])]);
    });

    it('per endpoint and per identified TPP, over the day', async () => {
      assert.deepEqual(await insights.latency({ ...DAY, by: 'endpoint' }), [
        // 2 10 12 14 16 18 30 30 30 100 200: ranks 6, 11, 11.
        expected(ACCOUNTS, 11, [18, 200, 200]),
        // 50 55 60 400: ranks 2, 4, 4.
        expected(PAYMENTS, 4, [55, 400, 400]),
      ]);
      // The call that identified no TPP counts for its endpoint, under no TPP.
      assert.deepEqual(await insights.latency({ ...DAY, by: 'tpp' }), [expected('client-a', 10, [18, 200, 200]), expected('client-b', 4, [55, 400, 400])]);
    });

    it('one endpoint of one TPP, per hour; a range without calls lists nothing', async () => {
      // 10 12 14 16 18 100 200: ranks 4, 7, 7.
      assert.deepEqual(await insights.latency({ ...DAY, endpoint: ACCOUNTS, clientId: 'client-a', by: 'hour' }), [
        expected('2026-04-15T10:00:00.000Z', 7, [16, 200, 200]),
        expected('2026-04-15T11:00:00.000Z', 3, [30, 30, 30]),
      ]);
      assert.deepEqual(await insights.latency({ ...DAY, endpoint: PAYMENTS, clientId: 'client-a', by: 'day' }), []);
      assert.deepEqual(await insights.latency({ from: at('11:00:00'), to: at('12:00:00'), endpoint: PAYMENTS, by: 'hour' }), []);
    });

    it('the distributions count the calls the hourly KPIs count', async () => {
      const day = await insights.day('2026-04-15');
      const kpiCalls = day.hours.flatMap((hour) => hour.endpoints).reduce((sum, endpoint) => sum + endpoint.figures.calls, 0);
      assert.equal(kpiCalls, 15);
    });

    it('refuses a range off whole hours, backwards, or longer than 366 days', async () => {
      for (const range of [
        { from: at('10:30:00'), to: at('12:00:00') },
        { from: at('12:00:00'), to: at('10:00:00') },
        { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-03T00:00:00Z') },
        { from: new Date(Number.NaN), to: at('12:00:00') },
      ]) {
        await assert.rejects(insights.latency({ ...range, by: 'hour' }), (error) => isAppError(error) && error.definition === InsightsErrors.LATENCY_RANGE_INVALID && error.status === 400);
      }
    });
  });
}
