import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import type { AuditRecord } from '../../src/modules/audit/index.ts';
import { expectObError } from '../support/ob-errors.ts';
import { AISP, aisGet, grantAccountAccess, sandboxPsu, type AisAccess } from '../support/ais-access.ts';
import { PsuAgent } from '../support/psu-agent.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { detailedConsent, leastUsedPsu, psuCompletesSca, psusWithIban, XS2A, Xs2aClient } from '../support/xs2a-client.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin/portico.mjs');
const ALL = ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'];

const detailsOf = (record: AuditRecord) => JSON.parse(record.details) as Record<string, unknown>;
const sha256Of = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');

/**
 * The audit trail of a running server (PostgreSQL): every API call of both standards, the PSU's
 * steps, the consent's state changes and the TPP's registration, recorded with who, what and how
 * it ended, chained and signed; then proved by `portico audit verify`, and broken by tampering.
 */
describe('audit trail of a running server (PostgreSQL)', () => {
  let app: TestPortico;
  let uk: TppClient;
  let eu: Xs2aClient;
  let access: AisAccess;
  let psuId: string;
  const interactionId = randomUUID();
  const all = async () => {
    await app.portico.audit.flush();
    const records: AuditRecord[] = [];
    for await (const record of app.portico.audit.export({})) records.push(record);
    return records;
  };

  before(async () => {
    app = await startTestPortico('postgres', { AUDIT_FLUSH_INTERVAL_MS: '50' }, { seedSandbox: true });
    uk = await TppClient.onboard(app, 'Ledgerly Ltd');
    await uk.register();
    const alice = await sandboxPsu(app, 0);
    psuId = alice.psuId;
    access = await grantAccountAccess(app, uk, alice, { permissions: ALL });
    eu = await Xs2aClient.onboard(app, 'Kontoblick GmbH');
  });
  after(() => app.close());

  it('records an OB call with its TPP, certificate, consent, PSU, status, latency, interaction id and source', async () => {
    const read = await aisGet(uk, access.token, 'accounts', { 'x-fapi-interaction-id': interactionId });
    assert.equal(read.status, 200, read.text);
    await app.portico.audit.flush();
    const { records } = await app.portico.audit.search({ interactionId }, 10);
    assert.equal(records.length, 1, 'the call is recorded once');
    const record = records[0]!;
    assert.deepEqual(
      { kind: record.kind, action: record.action, outcome: record.outcome, clientId: record.clientId, consentId: record.consentId, psuId: record.psuId, interactionId: record.interactionId },
      { kind: 'api-call', action: `GET ${AISP}/accounts`, outcome: '200', clientId: uk.clientId, consentId: access.consentId, psuId, interactionId },
    );
    const details = detailsOf(record);
    assert.equal(details['path'], `${AISP}/accounts`);
    assert.equal(details['status'], 200);
    assert.equal(details['sourceIp'], '127.0.0.1');
    assert.equal(details['certificateSha256'], sha256Of(uk.tpp.transport.certificatePem));
    assert.equal(typeof details['latencyMs'], 'number');
    assert.equal(details['errorCode'], undefined);
  });

  it('with its buffer full (AUDIT_OVERFLOW=refuse) answers calls 503 with Retry-After and the OB body before serving them, reads not ready, and counts them', async () => {
    const { audit } = app.portico;
    const hasRoom = audit.hasRoom;
    audit.hasRoom = () => false;
    try {
      const refused = await aisGet(uk, access.token, 'accounts');
      expectObError(refused, 503, 'U000');
      assert.match(String(refused.headers['retry-after']), /^[1-9]\d*$/);
      const ready = await app.request('/health/ready');
      assert.equal(ready.status, 503);
      assert.equal(ready.json<{ checks: Record<string, { status: string }> }>().checks['audit']?.status, 'down');
    } finally {
      audit.hasRoom = hasRoom;
    }
    assert.equal((await aisGet(uk, access.token, 'accounts')).status, 200);
    const metrics = (await app.request('/metrics')).text;
    assert.match(metrics, /^portico_audit_calls_refused_total 1$/m);
    assert.match(metrics, /^portico_audit_records_written_total [1-9]\d*$/m);
    assert.match(metrics, /^portico_audit_records_dropped_total 0$/m);
  });

  it('records a refused call with its error code (another consent’s account: BOLA probing leaves its trace)', async () => {
    const probe = randomUUID();
    const refused = await aisGet(uk, access.token, `accounts/${randomUUID()}`, { 'x-fapi-interaction-id': probe });
    assert.equal(refused.status, 403, refused.text);
    await app.portico.audit.flush();
    const [record] = (await app.portico.audit.search({ interactionId: probe }, 10)).records;
    assert.ok(record);
    assert.equal(record.outcome, '403');
    assert.equal(record.clientId, uk.clientId);
    assert.match(String(detailsOf(record)['errorCode']), /^[A-Z_]+\.[A-Z_]+$/);
  });

  it('records the TPP’s registration, the PSU’s failed and successful steps, the consent’s state changes and the XS2A calls of an organisation', async () => {
    const { psu, iban } = leastUsedPsu(await psusWithIban(app));
    const created = await eu.createConsent(detailedConsent([iban]));
    assert.equal(created.status, 201, created.text);
    const { consentId, _links } = created.json<{ consentId: string; _links: Record<string, { href: string }> }>();
    // A wrong password first: the failure is recorded, the password is not.
    const agent = new PsuAgent(app);
    await agent.go(_links['scaRedirect']!.href);
    await agent.go(`${_links['scaRedirect']!.href}/login`, { username: psu.username, password: 'not-the-password' });
    await psuCompletesSca(app, _links['scaRedirect']!.href, psu);
    const accounts = await eu.request(`${XS2A}/accounts`, { headers: { 'consent-id': consentId } });
    assert.equal(accounts.status, 200, accounts.text);

    let records: AuditRecord[] = [];
    // The consent's state changes arrive through the event backbone: wait for the last of them, not for a time.
    for (let attempt = 0; attempt < 300 && !records.some((r) => r.kind === 'consent' && r.consentId === consentId && r.action === 'AccountAccessLinkedAccountsChanged'); attempt++) {
      records = await all();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const registration = records.find((r) => r.kind === 'tpp-registration' && r.clientId === uk.clientId);
    assert.deepEqual([registration?.action, registration?.outcome], ['register', 'success']);

    const steps = records.filter((r) => r.kind === 'psu-authorisation' && (r.consentId === consentId || detailsOf(r)['username'] === psu.username));
    const failedLogin = steps.find((r) => r.action === 'password' && r.outcome === 'failure');
    assert.ok(failedLogin, JSON.stringify(steps.map((r) => [r.action, r.outcome])));
    assert.equal(detailsOf(failedLogin)['username'], psu.username);
    assert.ok(!failedLogin.details.includes('not-the-password'), 'no secret in the trail');
    const login = steps.find((r) => r.action === 'password' && r.outcome === 'success');
    assert.ok(login?.psuId, JSON.stringify(steps.map((r) => [r.action, r.outcome])));
    assert.ok(steps.some((r) => r.action === 'approve-consent' && r.outcome === 'success' && r.consentId === consentId && r.psuId === login.psuId));
    assert.deepEqual(records.filter((r) => r.details.includes(psu.password)).map((r) => r.details), [], 'no password anywhere in the trail');

    const changes = records.filter((r) => r.kind === 'consent' && r.consentId === consentId).map((r) => [r.action, r.outcome]);
    assert.deepEqual(changes, [['ConsentCreated', 'awaiting-authorisation'], ['ConsentStatusChanged', 'authorised'], ['AccountAccessLinkedAccountsChanged', 'recorded']]);

    const calls = records.filter((r) => r.kind === 'api-call' && r.action.startsWith('GET /berlin-group/v1/accounts') && r.consentId === consentId);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.organisationId, eu.tpp.organisationId);
    assert.equal(calls[0]!.psuId, login.psuId);
    assert.equal(calls[0]!.interactionId, accounts.headers['x-request-id']);
  });

  it('records an operator’s command: who ran it, the command line, how it ended', async () => {
    const env = { PATH: process.env['PATH'] ?? '', DATABASE_URL: app.portico.config.database.url!, DATA_DIR: app.portico.config.dataDir, LOG_LEVEL: 'error' };
    const announced = spawnSync(process.execPath, [BIN, 'report', 'planned-downtime', '--from', '2027-01-02T01:00:00Z', '--to', '2027-01-02T02:00:00Z', '--reason', 'core upgrade'], { cwd: REPO, env, encoding: 'utf8' });
    assert.equal(announced.status, 0, announced.stderr);
    let records: readonly AuditRecord[] = [];
    // Recorded through the outbox and written by the server's worker: wait for it, not for a time.
    for (let attempt = 0; attempt < 300 && records.length === 0; attempt++) {
      await app.portico.audit.flush();
      records = (await app.portico.audit.search({ kind: 'operator' }, 10)).records;
      if (records.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(records.length, 1);
    const [record] = records;
    assert.deepEqual([record!.action, record!.outcome], ['portico report planned-downtime', 'success']);
    const payload = detailsOf(record!)['payload'] as { operator: string; argv: string[] };
    assert.match(payload.operator, /^.+@.+$/);
    assert.deepEqual(payload.argv.slice(0, 2), ['report', 'planned-downtime']);
  });

  it('portico audit, report planned-downtime and sandbox seed refuse a day the calendar does not have and a time without its offset, naming the form, rather than reading them as other times', () => {
    const env = { PATH: process.env['PATH'] ?? '', DATABASE_URL: app.portico.config.database.url!, DATA_DIR: app.portico.config.dataDir, LOG_LEVEL: 'error' };
    const cases: Array<[string[], string]> = [
      [['audit', 'verify', '--from', '2026-02-30'], '--from must be a UTC day, YYYY-MM-DD (got "2026-02-30")'],
      [['audit', 'verify', '--from', '2026-12-07', '--to', '2026-12-06'], '--from must not be after --to'],
      [['audit', 'search', '--from', '2026-12-06T10:00'], '--from must be a time with its offset (2026-12-06T10:00:00Z) or a UTC day (2026-12-06) (got "2026-12-06T10:00")'],
      [['audit', 'export', '--to', '2026-02-30'], '--to must be a time with its offset (2026-12-06T10:00:00Z) or a UTC day (2026-12-06) (got "2026-02-30")'],
      // Planned downtime read as another window would miscount the regulator's availability figures.
      [['report', 'planned-downtime', '--from', '2027-02-30T01:00:00Z', '--to', '2027-03-02T02:00:00Z', '--reason', 'core upgrade'], '--from must be a time with its offset (2026-12-06T22:00:00Z) or a UTC day (got "2027-02-30T01:00:00Z")'],
      [['report', 'planned-downtime', '--from', '2027-01-02T01:00:00Z', '--to', '2027-01-02 02:00', '--reason', 'core upgrade'], '--to must be a time with its offset (2026-12-06T23:00:00Z) or a UTC day (got "2027-01-02 02:00")'],
      [['sandbox', 'seed', '--as-of', '2026-02-30'], '--as-of must be a date YYYY-MM-DD (got "2026-02-30")'],
    ];
    for (const [args, message] of cases) {
      const run = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, env, encoding: 'utf8' });
      assert.deepEqual([args.join(' '), run.status, run.stderr.trim().split('\n').at(-1), run.stdout], [args.join(' '), 2, `portico: ${message}`, '']);
    }
  });

  it('is proved intact by portico audit verify, and a tampered record is found', async () => {
    await app.portico.audit.flush();
    const env = { PATH: process.env['PATH'] ?? '', DATABASE_URL: app.portico.config.database.url!, DATA_DIR: app.portico.config.dataDir, LOG_LEVEL: 'error' };
    const intact = spawnSync(process.execPath, [BIN, 'audit', 'verify'], { cwd: REPO, env, encoding: 'utf8' });
    assert.equal(intact.status, 0, intact.stdout + intact.stderr);
    assert.match(intact.stdout, /^\d{4}-\d{2}-\d{2} {2}intact {3}\d+ record\(s\), \d+ checkpoint\(s\)$/m);
    assert.match(intact.stdout, /Intact: 1 day\(s\) verified\./);

    const search = spawnSync(process.execPath, [BIN, 'audit', 'search', '--interaction', interactionId, '--json'], { cwd: REPO, env, encoding: 'utf8' });
    assert.equal(search.status, 0, search.stderr);
    assert.deepEqual((JSON.parse(search.stdout) as Array<{ action: string }>).map((r) => r.action), [`GET ${AISP}/accounts`]);

    // An insider hides a refused call: the trail says where.
    const victim = (await app.portico.audit.search({ clientId: uk.clientId, kind: 'api-call' }, 1)).records[0]!;
    await sql`UPDATE audit_records SET outcome = '200' WHERE partition = ${victim.partition} AND seq = ${victim.seq.toString()}::bigint`.execute(app.portico.database.db);
    const broken = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--json'], { cwd: REPO, env, encoding: 'utf8' });
    assert.equal(broken.status, 1, broken.stdout + broken.stderr);
    const report = JSON.parse(broken.stdout) as { ok: boolean; firstBreak: { partition: string; seq: string; kind: string } };
    assert.deepEqual([report.ok, report.firstBreak.kind, report.firstBreak.seq, report.firstBreak.partition], [false, 'modified', victim.seq.toString(), victim.partition]);

    // The same break, found by the server's worker in a run the console asks for; counted for the alerting rule.
    const id = await app.portico.audit.requestVerification({ from: victim.partition, to: victim.partition }, 'ops.auditor');
    let run = await app.portico.audit.verification(id);
    for (let waited = 0; run && (run.status === 'queued' || run.status === 'running') && waited < 30_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = await app.portico.audit.verification(id);
    }
    assert.deepEqual([run?.status, run?.firstBreak?.kind, run?.firstBreak?.seq, run?.daysDone], ['broken', 'modified', victim.seq, 1]);
    assert.match((await app.request('/metrics')).text, /^portico_audit_verifications_total\{outcome="broken"\} 1$/m);
  });

  it('schedules the daily verification of the day that has just ended, at the next UTC midnight', async () => {
    const { rows } = await sql<{ run_at: Date }>`SELECT run_at FROM scheduled_jobs WHERE kind = 'audit.verify-daily' AND status = 'pending'`.execute(app.portico.database.db);
    const midnight = new Date(Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000);
    assert.deepEqual(rows.map((row) => new Date(row.run_at).toISOString()), [midnight.toISOString()]);
  });
});
