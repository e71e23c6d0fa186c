import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInsightsModule, rts32Csv, type ApiCall, type InsightsApi } from '../../../src/modules/insights/index.ts';
import { buildMiReports, defaultMiEndpointIds, validateMiReport } from '../../../src/standards/uk-obie/mi-reporting/index.ts';
import { openTestDatabase, type TestDatabase } from '../../support/backends.ts';

const ACCOUNTS = 'GET /open-banking/v4.0/aisp/accounts';
const PAYMENTS = 'POST /open-banking/v4.0/pisp/domestic-payments';
const at = (time: string) => new Date(`2026-04-15T${time}Z`);

function call(overrides: Partial<ApiCall>): ApiCall {
  return {
    at: at('10:05:00'),
    standard: 'uk-obie',
    service: 'account-information',
    endpoint: ACCOUNTS,
    clientId: 'client-a',
    statusCode: 200,
    rejected: false,
    ttfbMs: 10,
    ttlbMs: 20,
    payloadBytes: 100,
    ...overrides,
  };
}

describe('insights: API call KPIs on PostgreSQL', () => {
  let database: TestDatabase;
  let clock = at('10:00:00');
  let insights: InsightsApi;

  before(async () => {
    database = await openTestDatabase('postgres');
    insights = createInsightsModule({ db: database.db, now: () => clock });
  });
  after(() => database.close());

  it('adds up the figures two instances flushed, and counts the minutes no instance served as down', async () => {
    const a = insights.collector({ instanceId: 'a', now: () => clock, flushIntervalMs: 3_600_000 });
    const b = insights.collector({ instanceId: 'b', now: () => clock, flushIntervalMs: 3_600_000 });
    // Instance a serves 10:00–10:29, instance b 10:10–10:19: 10:30–10:59 nobody serves.
    clock = at('10:00:00');
    a.start();
    a.record(call({ ttfbMs: 5, ttlbMs: 30, payloadBytes: 300 }));
    a.record(call({ statusCode: 400, ttfbMs: 2, ttlbMs: 4, payloadBytes: 50 }));
    clock = at('10:10:00');
    b.start();
    b.record(call({ ttfbMs: 7, ttlbMs: 8, payloadBytes: 120 }));
    b.record(call({ clientId: 'client-b', endpoint: PAYMENTS, service: 'payment-initiation', statusCode: 201, rejected: true, ttfbMs: 40, ttlbMs: 60, payloadBytes: 900 }));
    b.record(call({ clientId: undefined, statusCode: 401, ttfbMs: 1, ttlbMs: 1, payloadBytes: 80 }));
    clock = at('10:19:30');
    await b.flush();
    await b.stop();
    // Second flush of a: the calls it recorded since add to what is stored.
    await a.flush();
    a.record(call({ at: at('10:25:10'), statusCode: 503, ttfbMs: 3, ttlbMs: 3, payloadBytes: 60 }));
    clock = at('10:29:59');
    await a.stop();
    clock = at('12:00:00');

    const day = await insights.day('2026-04-15');
    const ten = day.hours[10]!;
    const accounts = ten.endpoints.find((row) => row.endpoint === ACCOUNTS)!;
    assert.deepEqual(accounts.figures, {
      calls: 5,
      successes: 2,
      businessFailures: 2,
      technicalFailures: 1,
      rejections: 0,
      ttfbMsTotal: 5 + 2 + 7 + 1 + 3,
      ttlbMsTotal: 30 + 4 + 8 + 1 + 3,
      ttlbMsMin: 1,
      ttlbMsMax: 30,
      payloadBytesTotal: 300 + 50 + 120 + 80 + 60,
    });
    assert.deepEqual(accounts.byTpp.map((tpp) => [tpp.clientId, tpp.figures.calls]), [['client-a', 4]]);
    const payments = ten.endpoints.find((row) => row.endpoint === PAYMENTS)!;
    assert.equal(payments.figures.successes, 1);
    assert.equal(payments.figures.rejections, 1);
    // 10:30–10:59 unserved (30 minutes), and 10:25, when the accounts endpoint answered only 5xx.
    assert.deepEqual(ten.downtime, { elapsedMinutes: 60, plannedMinutes: 0, unplannedMinutes: 31 });
    assert.deepEqual(accounts.downtime, { elapsedMinutes: 60, plannedMinutes: 0, unplannedMinutes: 31 });
    assert.deepEqual(payments.downtime, { elapsedMinutes: 60, plannedMinutes: 0, unplannedMinutes: 30 });
    // 11:00–11:59: no instance served; later hours have not elapsed.
    assert.deepEqual(day.hours[11]!.downtime, { elapsedMinutes: 60, plannedMinutes: 0, unplannedMinutes: 60 });
    assert.deepEqual(day.hours[12]!.downtime, { elapsedMinutes: 0, plannedMinutes: 0, unplannedMinutes: 0 });
  });

  it('counts planned downtime as planned, not unplanned', async () => {
    await insights.declarePlannedDowntime({ from: at('10:40:00'), to: at('10:50:00'), reason: 'release' });
    const day = await insights.day('2026-04-15');
    assert.deepEqual(day.hours[10]!.downtime, { elapsedMinutes: 60, plannedMinutes: 10, unplannedMinutes: 21 });
  });

  it('builds the MI reports of the day, valid against the official schema, with the figures of the day', async () => {
    const reports = buildMiReports(await insights.day('2026-04-15'));
    assert.equal(reports.performanceAndAvailability.length, 12);
    const ten = reports.performanceAndAvailability[10]!;
    assert.equal(ten.reportTime, '(10.00 - 11.00)');
    // Portico's numbering: the operation's position in the official files (POST and GET, DELETE of consents first).
    assert.equal(defaultMiEndpointIds().get('GET /open-banking/v4.0/aisp/accounts'), 4);
    const accountsRow = ten.aspspBrandIds![0]!.data!.find((row) => row.endPoint === 4);
    assert.deepEqual({ ...accountsRow }, {
      endPoint: 4,
      totalTtlbResponseTime: 46,
      totalTtfbResponseTime: 18,
      totalResponsePayloadSize: 610,
      successfulApiCalls: 2,
      failedApiCallsBusinessReasons: 2,
      failedApiCallsTechnicalReasons: 1,
      downtime: '31',
      version: 'v4.0',
    });
    assert.equal(reports.performanceAndAvailability[11]!.aspspBrandIds![0]!.data![0]!.downtime, 'all');
    for (const report of reports.performanceAndAvailability) {
      const result = validateMiReport('PerformanceAndAvailability', report);
      assert.deepEqual(result.errors, [], report.reportTime);
    }
    // 07.00 -08.00 is one of the five hours the file's own pattern refuses: reported as a defect of the file.
    assert.equal(validateMiReport('PerformanceAndAvailability', reports.performanceAndAvailability[7]).specDefects.length, 1);
    for (const report of reports.overallPerformance) assert.deepEqual(validateMiReport('OverallPerformance', report), { valid: true, errors: [], specDefects: [] });
    const overall = reports.overallPerformance[10]!.aspspBrandIds!;
    assert.deepEqual(overall.map((tpp) => [tpp.tppBrandId, tpp.tspBrandName]), [[1, 'client-a'], [2, 'client-b']]);
    assert.deepEqual(overall[1]!.data!.map((row) => [row.totalNumberOfApiCalls, row.successfulApiCalls, row.apiCallsGeneratingRejectionStatus, row.minimumTtlbApiResponseTime, row.maximumTtlbApiResponseTime, row.cefOutcomeArea]), [[1, 1, 1, 60, 60, 'Expanded_payments_choice']]);
    // An invalid figure is caught by the official schema.
    assert.equal(validateMiReport('OverallPerformance', { ...reports.overallPerformance[10], reportTime: '(10.00-11.00)' }).valid, false);
  });

  it('produces the RTS Art. 32(4) quarterly statistics, day by day and beside the previous quarter', async () => {
    const statistics = await insights.quarter('2026-Q2');
    assert.equal(statistics.days.length, 91);
    const day = statistics.days.find((entry) => entry.date === '2026-04-15')!;
    // 12 hours elapsed on the clock: 720 minutes, of which 10:00–10:29 less the failing 10:25 were up, and 10:40–10:49 planned.
    assert.deepEqual(day.downtime, { elapsedMinutes: 720, plannedMinutes: 10, unplannedMinutes: 720 - 10 - 29 });
    assert.equal(day.uptimePercent, Math.round((29 / 720) * 100_000) / 1000);
    const ais = day.services.find((service) => service.service === 'account-information')!;
    assert.deepEqual([ais.calls, ais.successes, ais.businessFailures, ais.technicalFailures, ais.meanResponseMs, ais.errorResponseRate], [5, 2, 2, 1, Math.round(46 / 5), 0.2]);
    assert.equal(statistics.previousQuarter?.quarter, '2026-Q1');
    assert.equal(statistics.previousQuarter.services.every((service) => service.calls === 0), true);
    const csv = rts32Csv(statistics).split('\n');
    assert.match(csv[0]!, /^period,from,to,elapsed_minutes,planned_downtime_minutes,unplanned_downtime_minutes,uptime_percent,service,calls,/);
    assert.deepEqual(csv.filter((line) => line.startsWith('2026-04-15,') && line.includes('account-information')), [`2026-04-15,2026-04-15T00:00:00.000Z,2026-04-16T00:00:00.000Z,720,10,681,${day.uptimePercent},account-information,5,2,2,1,0,9,4,0.2`]);
  });

  it('refuses a period whose figures are past KPI_RETENTION_DAYS (it would read as downtime), and leaves out a previous quarter no longer all kept', async () => {
    // 190 days before 2026-04-15T12:00Z is 2025-10-07T12:00Z: the figures before 2025-10-07 are deleted.
    const kept = createInsightsModule({ db: database.db, now: () => at('12:00:00'), retentionDays: 190 });
    await assert.rejects(kept.day('2025-10-06'), { code: 'INSIGHTS.PERIOD_EXPIRED', message: 'The figures before 2025-10-07 were deleted after KPI_RETENTION_DAYS (190)' });
    assert.equal((await kept.day('2025-10-07')).hours.length, 24);
    await assert.rejects(kept.quarter('2025-Q4'), { code: 'INSIGHTS.PERIOD_EXPIRED' });
    await assert.rejects(kept.latency({ from: new Date('2025-10-06T23:00:00Z'), to: new Date('2025-10-07T01:00:00Z'), by: 'hour' }), { code: 'INSIGHTS.PERIOD_EXPIRED' });
    // 2026-Q1 is all kept, the quarter before it (from 2025-10-01) not: the comparison is left out, not reported as down.
    const q1 = await kept.quarter('2026-Q1');
    assert.equal(q1.previousQuarter, undefined);
    assert.deepEqual(rts32Csv(q1).split('\n').filter((line) => line.startsWith('2025-Q4,')), []);
    assert.equal((await kept.quarter('2026-Q2')).previousQuarter?.quarter, '2026-Q1');
  });
});
