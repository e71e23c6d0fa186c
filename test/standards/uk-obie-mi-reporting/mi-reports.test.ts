import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { TppClient } from '../../support/tpp-client.ts';
import { AISP } from '../../support/ais-access.ts';
import { buildMiReports, defaultMiEndpointIds, validateMiReport } from '../../../src/standards/uk-obie/mi-reporting/index.ts';
import type { KpiDay } from '../../../src/modules/insights/index.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO, 'bin/portico.mjs');
const CONSENTS = 'POST /open-banking/v4.0/aisp/account-access-consents';
const CONSENT = 'GET /open-banking/v4.0/aisp/account-access-consents/{ConsentId}';
const FAILING = 'GET /open-banking/v4.0/aisp/test-kpi-failure';

describe('OB MI reports of a known request sequence through a running server', () => {
  let app: TestPortico;
  let tpp: TppClient;
  const dates = new Set<string>();
  const bytes = { consents: 0, consent: 0 };

  before(async () => {
    app = await startTestPortico('postgres', {}, {
      // A route of the interface that fails on the bank's side (a technical failure), behind nothing.
      beforeListen: async (portico) => {
        portico.server.get(`${AISP}/test-kpi-failure`, async (request) => {
          // As if checkAccessToken had run: the call is the TPP's.
          (request as unknown as { verifiedAccessToken: { clientId: string } }).verifiedAccessToken = { clientId: String(request.headers['x-test-client']) };
          throw new Error('the core is down');
        });
      },
    });
    dates.add(new Date().toISOString().slice(0, 10));
    tpp = await TppClient.onboard(app, 'KPI Budgeting Ltd');
    await tpp.register();
    const token = await tpp.clientCredentialsToken('accounts');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() };
    // 2 successes: consents created.
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await tpp.mtls(`${AISP}/account-access-consents`, { method: 'POST', headers, body: JSON.stringify({ Data: { Permissions: ['ReadAccountsBasic'] }, Risk: {} }) });
      assert.equal(created.status, 201);
      bytes.consents += Buffer.byteLength(created.text);
      ids.push(created.json<{ Data: { ConsentId: string } }>().Data.ConsentId);
    }
    // 1 business failure: a body the schema refuses.
    const refused = await tpp.mtls(`${AISP}/account-access-consents`, { method: 'POST', headers, body: JSON.stringify({ Data: {}, Risk: {} }) });
    assert.equal(refused.status, 400);
    bytes.consents += Buffer.byteLength(refused.text);
    // 1 rejection: the PSU rejected the consent; reading it answers Status Rejected.
    await app.portico.consents.reject(ids[0]!);
    const rejected = await tpp.mtls(`${AISP}/account-access-consents/${ids[0]}`, { headers });
    assert.equal(rejected.status, 200);
    assert.equal(rejected.json<{ Data: { Status: string } }>().Data.Status, 'RJCT');
    bytes.consent += Buffer.byteLength(rejected.text);
    // 1 plain success on the same endpoint.
    const read = await tpp.mtls(`${AISP}/account-access-consents/${ids[1]}`, { headers });
    assert.equal(read.status, 200);
    bytes.consent += Buffer.byteLength(read.text);
    // 1 technical failure.
    const failed = await tpp.mtls(`${AISP}/test-kpi-failure`, { headers: { ...headers, 'x-test-client': tpp.clientId } });
    assert.equal(failed.status, 500);
    await app.portico.apiCallKpis!.flush();
    dates.add(new Date().toISOString().slice(0, 10));
  });
  after(() => app?.close());

  /** Sums the reports of the days the sequence ran on (one, unless it crossed midnight). */
  async function reportsOfTheRun() {
    const days: KpiDay[] = [];
    for (const date of dates) days.push(await app.portico.insights.day(date));
    return days.map((day) => buildMiReports(day));
  }

  it('reports the exact figures of the sequence in Performance and Availability, valid against the official schema', async () => {
    const ids = defaultMiEndpointIds();
    const totals = new Map<number, number[]>();
    for (const reports of await reportsOfTheRun()) {
      for (const report of reports.performanceAndAvailability) {
        assert.deepEqual(validateMiReport('PerformanceAndAvailability', report).errors, [], report.reportTime);
        for (const row of report.aspspBrandIds![0]!.data!) {
          const sum = totals.get(row.endPoint) ?? [0, 0, 0, 0];
          totals.set(row.endPoint, [sum[0]! + row.successfulApiCalls, sum[1]! + row.failedApiCallsBusinessReasons, sum[2]! + row.failedApiCallsTechnicalReasons, sum[3]! + row.totalResponsePayloadSize]);
          assert.ok(row.totalTtlbResponseTime >= row.totalTtfbResponseTime);
        }
      }
      // The test route and DCR have no MI endpoint id: left out, and said so.
      assert.deepEqual(reports.unnumberedEndpoints, ['GET /open-banking/v4.0/aisp/test-kpi-failure', 'POST /register']);
    }
    assert.deepEqual(totals.get(ids.get(CONSENTS.replace('POST ', 'POST '))!), [2, 1, 0, bytes.consents]);
    assert.deepEqual(totals.get(ids.get(CONSENT)!), [2, 0, 0, bytes.consent]);
  });

  it('reports the TPP, its rejection and its technical failure in Overall Performance', async () => {
    const ids = defaultMiEndpointIds();
    const rows = new Map<number, number[]>();
    for (const reports of await reportsOfTheRun()) {
      for (const report of reports.overallPerformance) {
        assert.deepEqual(validateMiReport('OverallPerformance', report), { valid: true, errors: [], specDefects: [] });
        for (const tpp of report.aspspBrandIds!) {
          assert.equal(tpp.tspBrandName, app.portico ? tpp.tspBrandName : '');
          for (const row of tpp.data!) {
            const sum = rows.get(row.endpointId) ?? [0, 0, 0, 0, 0];
            rows.set(row.endpointId, [sum[0]! + row.totalNumberOfApiCalls, sum[1]! + row.successfulApiCalls, sum[2]! + row.failedApiCallsBusinessReasons, sum[3]! + row.failedApiCallsTechnicalReasons, sum[4]! + row.apiCallsGeneratingRejectionStatus]);
          }
        }
      }
    }
    assert.deepEqual(rows.get(ids.get(CONSENTS)!), [3, 2, 1, 0, 0]);
    assert.deepEqual(rows.get(ids.get(CONSENT)!), [2, 2, 0, 0, 1]);
    // The technical failure is in the day's figures of the TPP (the test route has no MI endpoint id).
    const failing = (await Promise.all([...dates].map((date) => app.portico.insights.day(date)))).flatMap((day) => day.hours.flatMap((hour) => hour.endpoints.filter((row) => row.endpoint === FAILING.replace('GET /open-banking/v4.0/aisp/test-kpi-failure', `GET ${AISP}/test-kpi-failure`))));
    assert.equal(failing.reduce((sum, row) => sum + row.figures.technicalFailures, 0), 1);
    assert.equal(failing.reduce((sum, row) => sum + (row.byTpp.find((entry) => entry.clientId === tpp.clientId)?.figures.technicalFailures ?? 0), 0), 1);
  });

  it('prints them with portico report mi, and the RTS 32 statistics with portico report rts32', () => {
    const env = { PATH: process.env['PATH'] ?? '', DATABASE_URL: app.portico.config.database.url!, DATA_DIR: app.portico.config.dataDir, LOG_LEVEL: 'error' };
    const date = [...dates][0]!;
    const mi = spawnSync(process.execPath, [BIN, 'report', 'mi', '--date', date], { cwd: REPO, env, encoding: 'utf8' });
    assert.equal(mi.status, 0, mi.stderr);
    const printed = JSON.parse(mi.stdout) as { performanceAndAvailability: unknown[]; overallPerformance: unknown[] };
    assert.ok(printed.performanceAndAvailability.length >= 1);
    assert.match(mi.stderr, /valid against specs\/uk-obie\/mi-reporting\/mi-data-high-frequency-openapi\.yaml/);
    const quarter = `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
    const csv = spawnSync(process.execPath, [BIN, 'report', 'rts32', '--quarter', quarter, '--format', 'csv'], { cwd: REPO, env, encoding: 'utf8' });
    assert.equal(csv.status, 0, csv.stderr);
    const line = csv.stdout.split('\n').find((entry) => entry.startsWith(`${quarter},`) && entry.includes(',account-information,'));
    assert.ok(line, csv.stdout.slice(0, 500));
    // calls, successes, business failures, technical failures, rejections of AIS in the quarter.
    assert.deepEqual(line.split(',').slice(8, 13), ['6', '4', '1', '1', '1']);
    const bad = spawnSync(process.execPath, [BIN, 'report', 'rts32', '--quarter', '2026-Q5'], { cwd: REPO, env, encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /YYYY-Qn/);
  });
});
