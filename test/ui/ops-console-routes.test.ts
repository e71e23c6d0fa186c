import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { MemoryCache } from '../../src/platform/cache/index.ts';
import { DEFAULT_LOGIN_GUARD, generateTotp, LoginGuard, relyingPartyFor } from '../../src/modules/psu-identity/index.ts';
import { createOperatorsModule, type OperatorsApi, type SandboxOperatorLogin } from '../../src/modules/operators/index.ts';
import { createAuditModule, type AuditApi, type AuditEntry, type AuditQuery } from '../../src/modules/audit/index.ts';
import { Scheduler } from '../../src/platform/scheduler/index.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { testCheckpointSigner } from '../support/audit-signer.ts';
import { createInsightsModule, type ApiCall, type KpiDay } from '../../src/modules/insights/index.ts';
import type { PerformancePoint } from '../../src/ui/ops/performance-series.ts';
import { opsConsole, type OpsAlert, type OpsAlerts, type OpsConsoleOptions, type OpsTpp } from '../../src/ui/ops/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { csrfOf, OpsAgent as Agent } from '../support/ops-agent.ts';

const ACCOUNTS = 'GET /open-banking/v4.0/aisp/accounts';
const apiCall = (at: string, clientId: string, ttlbMs: number, statusCode = 200): ApiCall => ({
  at: new Date(at), standard: 'uk-obie', service: 'account-information', endpoint: ACCOUNTS, clientId, statusCode, rejected: false, ttfbMs: 1, ttlbMs, payloadBytes: 10,
});
/** The table row whose first cell is `name`, as its cells' text. */
const rowOf = (body: string, name: string) => {
  const row = new RegExp(`<tr><td>${name.replace(/[/]/g, '\\/')}</td>(.*?)</tr>`).exec(body)?.[1];
  return row === undefined ? undefined : [...row.matchAll(/<td>([^<]*)<\/td>/g)].map((cell) => cell[1]);
};

describe('operations console routes (fake ports)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let logins: SandboxOperatorLogin[];
  let operators: OperatorsApi;
  /** The real audit trail on the same database, for the verifications a worker runs. */
  let trail: AuditApi;
  let worker: Scheduler;
  const searched: AuditQuery[] = [];
  const recorded: AuditEntry[] = [];
  const tpp: { value: OpsTpp } = { value: { id: 'org-1', legalName: 'Acme <Budgeting>', status: 'Active', roles: ['AISP'], ncaName: 'FCA', authorisationNumber: '123', organizationIdentifier: 'PSDGB-FCA-123' } };
  const alert: { value: OpsAlert } = {
    value: { id: 'al-1', rule: 'bola-probing', severity: 'high', subject: { kind: 'tpp', id: 'client-1' }, evidence: { distinctForeignIds: 40 }, firstSeen: new Date(), lastSeen: new Date(), count: 3, status: 'open', response: { action: 'throttle', appliedAt: new Date() } },
  };
  const alerts: OpsAlerts = {
    list: async () => [alert.value],
    get: async (id) => (id === alert.value.id ? alert.value : undefined),
    resolve: async () => (alert.value = { ...alert.value, status: 'resolved' }),
    undoResponse: async (_id, operator) => (alert.value = { ...alert.value, response: { ...alert.value.response!, undoneAt: new Date(), undoneBy: operator } }),
  };

  /** Logs in through both factors (`step` shifts the code to the next time step for a second login). */
  async function login(role: string, step = 0): Promise<Agent> {
    return loginAs(logins.find((l) => l.role === role)!, step);
  }
  async function loginAs(credentials: { readonly username: string; readonly password: string; readonly totpSecret: string }, step = 0): Promise<Agent> {
    const agent = new Agent(app);
    const page = await agent.get('/ops/login');
    assert.equal((await agent.post('/ops/login', { username: credentials.username, password: credentials.password, csrf: csrfOf(page.body) })).headers.location, '/ops/login/otp');
    const codePage = await agent.get('/ops/login/otp');
    const done = await agent.post('/ops/login/otp', { otp: generateTotp(credentials.totpSecret, new Date(Date.now() + step * 30_000)), csrf: csrfOf(codePage.body) });
    assert.equal(done.headers.location, '/ops');
    return agent;
  }

  before(async () => {
    database = await openTestDatabase('pglite');
    const cache = new MemoryCache();
    operators = createOperatorsModule({ db: database.db, loginGuard: new LoginGuard(cache, DEFAULT_LOGIN_GUARD), cache, relyingParty: relyingPartyFor('https://bank.example') });
    logins = await operators.seedSandboxLogins();
    // Real KPIs on the same database: the performance page reads them through the module's API.
    const insights = createInsightsModule({ db: database.db, now: () => new Date('2026-03-03T00:00:00Z') });
    const collector = insights.collector({ instanceId: 'test' });
    for (const ms of [10, 20, 30, 40]) collector.record(apiCall('2026-03-02T10:05:00Z', 'client-1', ms));
    collector.record(apiCall('2026-03-02T10:06:00Z', 'client-1', 200, 503));
    collector.record(apiCall('2026-03-02T10:07:00Z', 'client-2', 1000));
    collector.record(apiCall('2026-03-01T09:00:00Z', 'client-1', 50));
    await collector.flush();
    trail = createAuditModule({ db: database.db, signer: await testCheckpointSigner(), settings: { maxBuffered: 1000, batchSize: 100, flushIntervalMs: 10_000, overflow: 'refuse', retentionDays: 30 }, logger: silentLogger });
    trail.start();
    await trail.recordDurably([1, 2, 3].map((n) => ({ at: new Date(`2026-03-02T10:0${n}:00Z`), kind: 'api-call', action: ACCOUNTS, outcome: '200', clientId: 'client-1', details: { n } })));
    worker = new Scheduler(database.db, silentLogger).register(trail.verificationJob.kind, trail.verificationJob.handler);
    const options: OpsConsoleOptions = {
      sessions: cache,
      operators,
      audit: {
        record: (entry) => (recorded.push(entry), true),
        search: async (query) => (searched.push(query), { records: [] }),
        requestVerification: (range, by, id) => trail.requestVerification(range, by, id),
        verification: (id) => trail.verification(id),
        verifications: (limit) => trail.verifications(limit),
      },
      insights,
      tpps: {
        list: async () => [tpp.value],
        get: async (id) => (id === tpp.value.id ? tpp.value : undefined),
        certificates: async () => [],
        clients: async () => [{ clientId: 'client-1', clientName: 'Acme app', softwareId: 'sw-1' }],
        setStatus: async (_id, status) => (tpp.value = { ...tpp.value, status }),
      },
      consents: { find: async () => undefined, ofPsu: async () => [], paymentOf: async () => undefined },
      alerts,
      sandbox: true,
      publicUrl: 'https://bank.example',
    };
    app = Fastify();
    await app.register(opsConsole, options);
    await app.ready();
  });
  after(async () => {
    await trail?.stop();
    await app?.close();
    await database?.close();
  });

  it('every page but the login asks for a login; the login form itself needs its token', async () => {
    for (const url of ['/ops', '/ops/tpps', '/ops/tpps/org-1', '/ops/search', '/ops/alerts', '/ops/performance', '/ops/audit', '/ops/operators']) {
      const response = await new Agent(app).get(url);
      assert.deepEqual([url, response.statusCode, response.headers.location], [url, 303, '/ops/login']);
    }
    const agent = new Agent(app);
    const page = await agent.get('/ops/login');
    assert.match(page.headers['content-security-policy'] as string, /script-src 'self'; .*frame-ancestors 'none'/);
    assert.match(page.body, /GET \/sandbox\/v1\/operators/);
    const viewer = logins[0]!;
    const forged = await agent.post('/ops/login', { username: viewer.username, password: viewer.password });
    assert.equal(forged.statusCode, 403);
    const cookie = (await agent.get('/ops/login')).cookies.find((c) => c.name === 'portico_ops')!;
    assert.deepEqual([cookie.sameSite, cookie.httpOnly, cookie.secure, cookie.path], ['Strict', true, true, '/ops']);
  });

  it('escapes what TPPs named themselves', async () => {
    const agent = await login('viewer');
    const page = await agent.get('/ops/tpps');
    assert.match(page.body, /Acme &lt;Budgeting&gt;/);
    assert.doesNotMatch(page.body, /Acme <Budgeting>/);
  });

  it('operators resolve alerts and undo automatic responses, each recorded with who and what; viewers cannot', async () => {
    const viewer = await login('viewer', 1);
    const viewed = await viewer.get('/ops/alerts/al-1');
    assert.match(viewed.body, /distinctForeignIds/);
    assert.equal((await viewer.post('/ops/alerts/al-1/resolve', { csrf: csrfOf(viewed.body) })).statusCode, 403);
    assert.equal(alert.value.status, 'open');

    const operator = await login('operator');
    const page = await operator.get('/ops/alerts/al-1');
    assert.equal((await operator.post('/ops/alerts/al-1/undo', { csrf: csrfOf(page.body) })).statusCode, 303);
    assert.equal((await operator.post('/ops/alerts/al-1/resolve', { csrf: csrfOf(page.body) })).statusCode, 303);
    assert.deepEqual([alert.value.status, alert.value.response?.undoneBy], ['resolved', 'ops-operator']);
    const actions = recorded.filter((r) => r.action.includes('alert')).map((r) => [r.kind, r.action, r.outcome, r.details?.['operator'], r.clientId]);
    assert.deepEqual(actions, [
      ['operator', 'ops resolve-alert', 'failure', 'ops-viewer', undefined],
      ['operator', 'ops undo-alert-response', 'success', 'ops-operator', 'client-1'],
      ['operator', 'ops resolve-alert', 'success', 'ops-operator', 'client-1'],
    ]);
  });

  it('admins add operators (the TOTP secret shown once, not recorded) and an added operator can log in', async () => {
    const admin = await login('admin');
    const page = await admin.get('/ops/operators');
    const added = await admin.post('/ops/operators', { username: 'jane.doe', password: 'correct horse battery', role: 'viewer', csrf: csrfOf(page.body) });
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(added.body)?.[1];
    assert.ok(secret);
    const entry = recorded.find((r) => r.action === 'ops add-operator')!;
    assert.deepEqual(entry.details, { operator: 'ops-admin', role: 'admin', via: 'console', subject: 'jane.doe', subjectRole: 'viewer' });
    assert.doesNotMatch(JSON.stringify(recorded), new RegExp(secret));

    const jane = new Agent(app);
    const form = await jane.get('/ops/login');
    await jane.post('/ops/login', { username: 'jane.doe', password: 'correct horse battery', csrf: csrfOf(form.body) });
    const code = await jane.get('/ops/login/otp');
    assert.equal((await jane.post('/ops/login/otp', { otp: generateTotp(secret, new Date()), csrf: csrfOf(code.body) })).headers.location, '/ops');
  });

  it('the performance page carries p50/p95/p99 of time to last byte per hour and per day, for a TPP, and the same figures as tables', async () => {
    const agent = await login('admin', 1);
    const page = await agent.get(`/ops/performance?date=2026-03-02&tpp=client-1`);
    assert.equal(page.statusCode, 200);
    const data = JSON.parse(/<script type="application\/json" id="performance-data">(.*?)<\/script>/s.exec(page.body)![1]!) as { hourly: PerformancePoint[]; daily: PerformancePoint[] };
    // client-1's calls of 10:00 take 10, 20, 30, 40 and 200 ms: p50 is the 3rd (30 ms, bucket 36,
    // read as 29.4), p95 and p99 the 5th (200 ms, bucket 56, read as 198.1).
    const ten = data.hourly[10]!;
    assert.deepEqual([ten.label, ten.calls, ten.p50Ms, ten.p95Ms, ten.p99Ms, ten.technicalErrorRate], ['10:00', 5, 29.4, 198.1, 198.1, 20]);
    assert.equal(data.hourly.filter((point) => point.p50Ms !== null).length, 1);
    // Per day, a week to the chosen day: 1 March's one call of 50 ms reads as 52.2 (bucket 42).
    assert.deepEqual(data.daily.map((point) => [point.label, point.p50Ms, point.p99Ms]).slice(-3), [['2026-02-28', null, null], ['2026-03-01', 52.2, 52.2], ['2026-03-02', 29.4, 198.1]]);
    assert.equal(data.daily.length, 7);
    for (const id of ['chart-percentiles', 'chart-percentiles-daily']) assert.match(page.body, new RegExp(`<canvas id="${id}" data-series="(hourly|daily)" data-kind="percentiles"`));
    // The same figures for those who would rather read: hour by hour, then per endpoint and per TPP (all TPPs).
    // (Availability 0: no instance recorded serving, as the collector was never started.)
    assert.deepEqual(rowOf(page.body, '10:00'), ['5', '20', '20', '29.4', '198.1', '198.1', '60', '10', '200', '0']);
    assert.deepEqual(rowOf(page.body, ACCOUNTS)!.slice(0, 6), ['6', '16.67', '16.67', '29.4', '1001.1', '1001.1']);
    assert.deepEqual(rowOf(page.body, 'client-2')!.slice(0, 6), ['1', '0', '0', '1001.1', '1001.1', '1001.1']);
    // A month for longer trends; any other range is a week.
    const month = await agent.get(`/ops/performance?date=2026-03-02&days=30`);
    assert.equal((JSON.parse(/id="performance-data">(.*?)<\/script>/s.exec(month.body)![1]!) as { daily: unknown[] }).daily.length, 30);
    const odd = await agent.get(`/ops/performance?date=2026-03-02&days=9999`);
    assert.equal((JSON.parse(/id="performance-data">(.*?)<\/script>/s.exec(odd.body)![1]!) as { daily: unknown[] }).daily.length, 7);
  });

  it('the audit search shows a bound it cannot read as an error, never as no bound (every record, as if filtered), and takes a day as To whole', async () => {
    const password = 'an auditor of the trail';
    const { totpSecret } = await operators.create({ username: 'auditor', password, role: 'viewer' });
    const agent = await loginAs({ username: 'auditor', password, totpSecret });
    const unreadable = (label: string, text: string) => `${label}: &quot;${text}&quot; is not a time with its offset (2026-12-06T10:00:00Z) nor a day (2026-12-06)`;
    const cases: Array<[string, string]> = [
      ['from=2026-02-30', unreadable('From', '2026-02-30')],
      ['to=2026-12-06T10%3A00', unreadable('To', '2026-12-06T10:00')],
      ['from=yesterday', unreadable('From', 'yesterday')],
      ['from=2026-12-07&to=2026-12-06', 'From must be before To'],
    ];
    for (const [query, error] of cases) {
      const page = await agent.get(`/ops/audit?${query}`);
      assert.deepEqual([query, page.statusCode, /<p class="error" role="alert">([^<]*)<\/p>/.exec(page.body)?.[1]], [query, 400, error]);
    }
    assert.equal(searched.length, 0, 'nothing is searched with a bound left out');
    const page = await agent.get('/ops/audit?from=2026-12-06T10%3A00%3A00%2B01%3A00&to=2026-12-06');
    assert.equal(page.statusCode, 200);
    assert.deepEqual([searched.length, searched[0]?.from?.toISOString(), searched[0]?.to?.toISOString()], [1, '2026-12-06T09:00:00.000Z', '2026-12-07T00:00:00.000Z']);
  });

  it('asks a worker to verify the chain and follows the run on a page that reloads until it is done', async () => {
    const password = 'a verifier of the trail';
    const { totpSecret } = await operators.create({ username: 'verifier', password, role: 'viewer' });
    const agent = await loginAs({ username: 'verifier', password, totpSecret });
    const page = await agent.get('/ops/audit');
    assert.match(page.body, /No verification has been run yet\./);
    assert.match(page.body, /<input id="verify-from" name="from" type="date" value="\d{4}-\d{2}-\d{2}" required>/);

    assert.equal((await agent.post('/ops/audit/verify', { from: '2026-03-01', to: '2026-03-02' })).statusCode, 403, 'a form without its token');
    const refused = await agent.post('/ops/audit/verify', { csrf: csrfOf(page.body), from: '2026-02-30', to: '2026-03-02' });
    assert.deepEqual([refused.statusCode, /<p class="error" role="alert">([^<]*)<\/p>/.exec(refused.body)?.[1]], [400, 'from must be a calendar day, YYYY-MM-DD (got &quot;2026-02-30&quot;)']);

    const asked = await agent.post('/ops/audit/verify', { csrf: csrfOf(page.body), from: '2026-03-01', to: '2026-03-02' });
    assert.equal(asked.statusCode, 303);
    const url = asked.headers.location as string;
    const id = /^\/ops\/audit\/verifications\/([0-9a-f-]{36})$/.exec(url)?.[1];
    assert.ok(id, url);
    const action = recorded.filter((r) => r.action === 'ops verify-audit-trail').map((r) => [r.outcome, r.details]);
    assert.deepEqual(action, [
      ['failure', { operator: 'verifier', role: 'viewer', via: 'console', reason: 'csrf' }],
      ['success', { operator: 'verifier', role: 'viewer', via: 'console', from: '2026-03-01', to: '2026-03-02', verificationId: id }],
    ]);
    recorded.length = 0;

    const again = await agent.post('/ops/audit/verify', { csrf: csrfOf(page.body), from: '2026-03-02', to: '2026-03-02' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, new RegExp(`<p class="error" role="alert">A verification asked for by verifier at [^ ]+ is under way \\(${id}\\): follow it, and ask again once it has finished</p><p><a href="/ops/audit/verifications/${id}">Follow the verification under way</a></p>`));

    assert.deepEqual(recorded.filter((r) => r.action === 'ops verify-audit-trail').map((r) => [r.outcome, r.details?.['reason']]), [['failure', 'under-way']]);
    const queued = await agent.get(url);
    assert.equal(queued.statusCode, 200);
    assert.match(queued.body, /<meta http-equiv="refresh" content="2">/);
    assert.match(queued.body, /Waiting for a worker to start it\./);

    assert.equal((await worker.runDue()).done, 1);
    const done = await agent.get(url);
    assert.doesNotMatch(done.body, /http-equiv="refresh"/);
    assert.equal(/<p class="ok" role="status" data-testid="verification">([^<]*)<\/p>/.exec(done.body)?.[1], 'Intact: every record and checkpoint from 2026-03-01 to 2026-03-02 verifies (1 of 1 day(s), 3 records).');
    assert.deepEqual(rowOf(done.body, '2026-03-02'), ['intact', '3', '1', '']);
    const listed = await agent.get('/ops/audit');
    assert.match(listed.body, new RegExp(`<a href="/ops/audit/verifications/${id}">[^<]+</a></td><td>verifier</td><td>2026-03-01 to 2026-03-02</td><td class="ok">intact</td><td>1 of 1 day\\(s\\), 3 records</td>`));

    // An insider rewrites a record: the next run's page says where, as an alert.
    await sql`UPDATE audit_records SET outcome = '500' WHERE partition = '2026-03-02' AND seq = 2`.execute(database.db);
    const brokenUrl = (await agent.post('/ops/audit/verify', { csrf: csrfOf(page.body), from: '2026-03-02', to: '2026-03-02' })).headers.location as string;
    await worker.runDue();
    const broken = await agent.get(brokenUrl);
    assert.equal(/<p class="error" role="alert" data-testid="verification">([^<]*)<\/p>/.exec(broken.body)?.[1], 'Broken: modified in 2026-03-02 at record 2 — record 2 does not hash to its stored hash');
    assert.deepEqual(rowOf(broken.body, '2026-03-02'), ['broken', '1', '0', 'modified at seq 2: record 2 does not hash to its stored hash']);
    assert.match((await agent.get('/ops/audit')).body, /<td>2026-03-02 to 2026-03-02<\/td><td class="error">broken<\/td>/);

    const unknown = await agent.get('/ops/audit/verifications/no-such-run');
    assert.deepEqual([unknown.statusCode, /role="alert">([^<]*)</.exec(unknown.body)?.[1]], [404, 'No such verification.']);
  });

  it('attack: a field given twice (an array where the console reads text) is refused with a 400 page, never a 500', async () => {
    const password = 'a tester of forms';
    const { totpSecret } = await operators.create({ username: 'doubler', password, role: 'admin' });
    const agent = await loginAs({ username: 'doubler', password, totpSecret });
    const refusal = 'The console could not read this request: a field is given more than once.';
    for (const url of ['/ops/tpps?q=a&q=b', '/ops/search?consent=a&consent=b', '/ops/alerts?subject=a&subject=b', '/ops/performance?tpp=a&tpp=b', '/ops/audit?client=a&client=b', '/ops/audit?from=2026-12-01&from=2026-12-02']) {
      const page = await agent.get(url);
      assert.deepEqual([url, page.statusCode, /<p class="error" role="alert">([^<]*)<\/p>/.exec(page.body)?.[1]], [url, 400, refusal]);
    }
    const csrf = csrfOf((await agent.get('/ops/audit')).body);
    const form = new URLSearchParams([['csrf', csrf], ['from', '2026-03-01'], ['from', '2026-03-02']]).toString();
    const posted = await app.inject({ method: 'POST', url: '/ops/audit/verify', headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
    assert.deepEqual([posted.statusCode, /<p class="error" role="alert">([^<]*)<\/p>/.exec(posted.body)?.[1]], [400, refusal]);
    assert.equal((await agent.get('/ops/tpps?q=Acme')).statusCode, 200, 'one of each is read as before');
  });

  it('the alerts page says so when no risk module provides alerts', async () => {
    const bare = Fastify();
    const cache = new MemoryCache();
    operators = createOperatorsModule({ db: database.db, loginGuard: new LoginGuard(cache, DEFAULT_LOGIN_GUARD), cache, relyingParty: relyingPartyFor('https://bank.example') });
    await bare.register(opsConsole, { sessions: cache, operators, audit: { record: () => true, search: async () => ({ records: [] }), requestVerification: async () => 'none', verification: async () => undefined, verifications: async () => [] }, insights: { day: async () => ({ date: '', hours: [] }) as unknown as KpiDay, latency: async () => [] }, tpps: { list: async () => [], get: async () => undefined, certificates: async () => [], clients: async () => [], setStatus: async () => tpp.value }, consents: { find: async () => undefined, ofPsu: async () => [], paymentOf: async () => undefined }, sandbox: false, publicUrl: 'https://bank.example' });
    const previous = app;
    app = bare;
    try {
      const agent = await login('operator', 1);
      assert.match((await agent.get('/ops/alerts')).body, /Anomaly alerts are not available/);
    } finally {
      app = previous;
      await bare.close();
    }
  });
});
