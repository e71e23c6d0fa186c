import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Alert } from '../../src/modules/risk/index.ts';
import { aisGet, grantAccountAccess, sandboxPsu, type AisAccess } from '../support/ais-access.ts';
import type { JSONWebKeySet } from 'jose';
import { checkPisResponse, gbpAccount, submitDomesticPayment, type ResponseCheck } from '../support/pis-access.ts';
import { PsuAgent } from '../support/psu-agent.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { detailedConsent, psusWithIban, Xs2aClient } from '../support/xs2a-client.ts';

const ALL = ['ReadAccountsDetail', 'ReadBalances'];

/**
 * Each attack of the simulated set (docs/risk.md), driven over HTTPS against a running server
 * (PostgreSQL, Redis, NATS): the trail is flushed, detection runs for the window up to now, and
 * the attack's alert is there with its evidence, its automatic response where one is configured,
 * and that response's undo.
 */
describe('anomaly detection against a running server (PostgreSQL)', () => {
  let app: TestPortico;
  const detectNow = async () => {
    await app.portico.audit.flush();
    await app.portico.risk.detect({ to: new Date() });
  };
  const alertOf = async (rule: string, subjectId: string): Promise<Alert> => {
    const alerts = await app.portico.risk.listAlerts({ subjectId, limit: 20 });
    const alert = alerts.find((candidate) => candidate.rule === rule);
    assert.ok(alert, `${rule} raised on ${subjectId}: ${JSON.stringify(alerts.map((a) => a.rule))}`);
    return alert;
  };
  const featureOf = (alert: Alert, feature: string) => (alert.evidence['features'] as Record<string, { value: number; deviation: number }>)[feature]!;
  const onboard = async (name: string, position: number): Promise<{ tpp: TppClient; access: AisAccess }> => {
    const tpp = await TppClient.onboard(app, name);
    await tpp.register();
    return { tpp, access: await grantAccountAccess(app, tpp, await sandboxPsu(app, position), { permissions: ALL }) };
  };

  before(async () => {
    app = await startTestPortico(
      'postgres',
      {
        AUDIT_FLUSH_INTERVAL_MS: '50',
        RISK_RESPONSES: 'bola-probing=suspend-client,retry-storm=throttle,scraping=throttle',
        RISK_THROTTLE_REQUESTS: '1',
        AIS_UNATTENDED_READS_PER_DAY: '0',
        LOGIN_FREE_ATTEMPTS: '1000',
        LOGIN_SOURCE_MAX_ATTEMPTS: '1000000',
      },
      { seedSandbox: true },
    );
  });
  after(() => app.close());

  it('bola-probing: a TPP asking for accounts that are not its own is suspended, and reinstated on undo', async () => {
    const { tpp, access } = await onboard('Probing Analytics Ltd', 1);
    for (let i = 0; i < 24; i++) {
      const probe = await aisGet(tpp, access.token, `accounts/${randomUUID()}`);
      assert.ok(probe.status === 403 || probe.status === 404, probe.text);
    }
    await detectNow();
    const alert = await alertOf('bola-probing', tpp.clientId);
    assert.ok(['high', 'critical'].includes(alert.severity));
    assert.ok(featureOf(alert, 'foreignIds').value >= 6, JSON.stringify(alert.evidence));
    const samples = alert.evidence['samples'] as Array<{ path: string; interactionId: string }>;
    assert.ok(samples.length > 0 && samples.every((sample) => sample.path.startsWith('/open-banking/v4.0/aisp/accounts/') && sample.interactionId));
    assert.equal(alert.response?.action, 'suspend-client');
    const refused = await aisGet(tpp, access.token, 'accounts');
    assert.notEqual(refused.status, 200, 'the suspended TPP’s next call is refused');

    await app.portico.risk.undoResponse(alert.id, 'ops-alice');
    const undone = await app.portico.risk.getAlert(alert.id);
    assert.equal(undone?.response?.undoneBy, 'ops-alice');
    const served = await aisGet(tpp, access.token, 'accounts');
    assert.equal(served.status, 200, served.text);

    await app.portico.audit.flush();
    const actions = (await app.portico.audit.search({ kind: 'operator', clientId: tpp.clientId }, 10)).records.map((record) => [record.action, record.outcome]);
    assert.deepEqual(actions.sort(), [['risk.suspend-client', 'success'], ['risk.undo-suspend-client', 'success']]);
  });

  it('credential-stuffing: many failed PSU logins from one source', async () => {
    const eu = await Xs2aClient.onboard(app, 'Stuffing Target GmbH');
    const [first] = await psusWithIban(app);
    const created = await eu.createConsent(detailedConsent([first!.iban]));
    assert.equal(created.status, 201, created.text);
    const redirect = created.json<{ _links: Record<string, { href: string }> }>()._links['scaRedirect']!.href;
    const agent = new PsuAgent(app);
    await agent.go(redirect);
    for (let i = 0; i < 30; i++) await agent.go(`${redirect}/login`, { username: `stuffed-${i}@example.com`, password: 'Winter2026!' });
    await detectNow();
    const alert = await alertOf('credential-stuffing', '127.0.0.1');
    assert.equal(alert.subject.kind, 'source');
    assert.equal(alert.severity === 'critical' || alert.severity === 'high', true);
    assert.ok(featureOf(alert, 'loginFailures').value >= 10);
    assert.ok(featureOf(alert, 'distinctUsernames').value >= 5);
    assert.equal(alert.response, undefined, 'no automatic response is configured for it');
  });

  it('scraping: high-volume reads far above the TPP’s baseline are throttled', async () => {
    const { tpp, access } = await onboard('Hoover Data Ltd', 2);
    for (let i = 0; i < 320; i++) {
      const read = await aisGet(tpp, access.token, i % 2 === 0 ? 'accounts' : 'balances');
      assert.equal(read.status, 200, read.text);
    }
    await detectNow();
    const alert = await alertOf('scraping', tpp.clientId);
    assert.ok(featureOf(alert, 'reads').value >= 100, JSON.stringify(alert.evidence));
    assert.equal(alert.response?.action, 'throttle');
    await app.portico.risk.undoResponse(alert.id, 'ops-bob');
    assert.equal((await aisGet(tpp, access.token, 'accounts')).status, 200);
  });

  it('retry-storm: a burst of the same failing request is throttled (429), and served again on undo', async () => {
    const { tpp, access } = await onboard('Loopy Retries Ltd', 3);
    const missing = randomUUID();
    for (let i = 0; i < 90; i++) {
      const retry = await aisGet(tpp, access.token, `accounts/${missing}/balances`);
      assert.ok(retry.status >= 400, retry.text);
    }
    await detectNow();
    const alert = await alertOf('retry-storm', tpp.clientId);
    assert.ok(featureOf(alert, 'maxRepeat').value >= 30, JSON.stringify(alert.evidence));
    assert.equal(alert.response?.action, 'throttle');
    assert.equal((await aisGet(tpp, access.token, 'accounts')).status, 200, 'the throttle allows one request a window');
    const throttled = await aisGet(tpp, access.token, 'accounts');
    assert.equal(throttled.status, 429, throttled.text);
    assert.ok(throttled.headers['retry-after']);

    await app.portico.risk.undoResponse(alert.id, 'ops-alice');
    const served = await aisGet(tpp, access.token, 'accounts');
    assert.equal(served.status, 200, served.text);
    await app.portico.risk.resolveAlert(alert.id, 'ops-alice');
    assert.equal((await app.portico.risk.getAlert(alert.id))?.status, 'resolved');
  });

  it('new-payee-payout: a PSU’s consent used for a payment far above its usual, to a payee it never paid', async () => {
    const tpp = await TppClient.onboard(app, 'Everyday Transfers Ltd');
    await tpp.register();
    const psu = await sandboxPsu(app, 4);
    const accountId = (await gbpAccount(app, psu)).id;
    const grocer = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '99999912345678', Name: 'Corner Grocer' };
    const mule = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '99999987654321', Name: 'J Smith' };
    const discovery = (await app.request('/.well-known/openid-configuration')).json<{ jwks_uri: string }>();
    const bankJwks = (await app.request(new URL(discovery.jwks_uri).pathname)).json<JSONWebKeySet>();
    const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);
    /** The PSU's payments in the trail, once the audit consumer has recorded their events. */
    const paymentsInTrail = async (count: number) => {
      for (let attempt = 0; ; attempt++) {
        await app.portico.audit.flush();
        const records = (await app.portico.audit.search({ kind: 'payment', psuId: psu.psuId }, 50)).records.filter((record) => record.outcome === 'pending');
        if (records.length >= count || attempt === 100) return records;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // Its history: ordinary payments to its grocer, learnt by a detection run before the payout.
    for (const amount of ['45.00', '62.50', '38.20', '51.00']) await submitDomesticPayment(app, tpp, checked, { psu, accountId, amount, creditor: grocer });
    assert.equal((await paymentsInTrail(4)).length, 4);
    await app.portico.risk.detect({ to: new Date() });
    assert.deepEqual((await app.portico.risk.listAlerts({ subjectId: psu.psuId, limit: 10 })).map((alert) => alert.rule), [], 'its ordinary payments raise nothing');

    await submitDomesticPayment(app, tpp, checked, { psu, accountId, amount: '9800.00', creditor: mule });
    const records = await paymentsInTrail(5);
    const payout = records.find((record) => JSON.parse(record.details).payload.amountMinor === '980000');
    assert.ok(payout, 'the payout is in the trail');
    const payload = JSON.parse(payout.details).payload as Record<string, string>;
    assert.deepEqual([payload['currency'], payout.psuId, payout.clientId], ['GBP', psu.psuId, tpp.clientId]);
    assert.match(payload['payee']!, /^[A-Za-z0-9_-]{22}$/, 'the payee by its fingerprint');
    assert.ok(!payout.details.includes(mule.Identification), 'never by its account number');

    await app.portico.risk.detect({ to: new Date() });
    const alert = await alertOf('new-payee-payout', psu.psuId);
    assert.equal(alert.subject.kind, 'psu');
    assert.ok(['high', 'critical'].includes(alert.severity), alert.severity);
    const payment = alert.evidence['payment'] as { amount: string; tpp: string; payee: string; ratio: number };
    assert.equal(payment.amount, '9,800.00 GBP');
    assert.equal(payment.tpp, tpp.clientId);
    assert.equal(payment.payee, payload['payee']);
    assert.ok(payment.ratio >= 15, JSON.stringify(payment));
    assert.match(String(alert.evidence['summary']), new RegExp(`^payment of 9,800\\.00 GBP, [\\d.]+× the PSU's median \\(\\d+\\.\\d\\d GBP over its last 4 payments in GBP\\), to a payee it had not paid before, via TPP ${tpp.clientId}$`));
    assert.equal(alert.response, undefined, 'no automatic response is configured for it');
  });

  it('counts the alerts raised in /metrics', async () => {
    const metrics = await app.request('/metrics');
    for (const rule of ['bola-probing', 'credential-stuffing', 'scraping', 'retry-storm', 'new-payee-payout']) assert.match(metrics.text, new RegExp(`portico_risk_alerts_total\\{rule="${rule}",severity="[a-z]+"\\} [1-9]`));
  });
});
