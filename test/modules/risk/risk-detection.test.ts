import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditRecord } from '../../../src/modules/audit/index.ts';
import {
  createRiskModule,
  detectWindow,
  deviation,
  EMPTY_BASELINE,
  idsInPath,
  learn,
  networkOf,
  newModelBook,
  RISK_RULES,
  trainAnomalyModel,
  windowFeatures,
  type Baseline,
  type RiskApi,
  type RiskResponder,
  type SubjectState,
  type TrailEntry,
} from '../../../src/modules/risk/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { silentLogger } from '../../support/silent-logger.ts';

const AIS = '/open-banking/v4.0/aisp';
const T0 = new Date('2026-03-02T10:00:00Z');
const window = (minute: number) => ({ from: new Date(T0.getTime() + minute * 60_000), to: new Date(T0.getTime() + (minute + 1) * 60_000) });

function call(clientId: string, path: string, template: string, status: number, minute = 0, extra: Partial<TrailEntry> = {}): TrailEntry {
  return { at: new Date(T0.getTime() + minute * 60_000 + 1000), kind: 'api-call', action: `GET ${template}`, outcome: String(status), clientId, organisationId: null, consentId: 'c-1', psuId: 'psu-1', interactionId: `i-${Math.random()}`, details: { path, status, sourceIp: '198.51.100.7' }, ...extra };
}
const login = (username: string, sourceIp: string, outcome: 'success' | 'failure', minute = 0): TrailEntry => ({ at: new Date(T0.getTime() + minute * 60_000 + 2000), kind: 'psu-authorisation', action: 'password', outcome, clientId: null, organisationId: null, consentId: null, psuId: null, interactionId: null, details: { username, sourceIp } });

/** A TPP's ordinary minute: reads of its own accounts, now and then a stale id answered 404. */
function ordinary(clientId: string, minute: number): TrailEntry[] {
  return [
    ...Array.from({ length: 20 }, (_, i) => call(clientId, `${AIS}/accounts/acc-${i % 5}/balances`, `${AIS}/accounts/:AccountId/balances`, 200, minute)),
    ...(minute % 7 === 0 ? [call(clientId, `${AIS}/accounts/stale-${minute}`, `${AIS}/accounts/:AccountId`, 404, minute)] : []),
  ];
}

describe('risk features', () => {
  it('finds the ids of a path where its route has parameters', () => {
    assert.deepEqual(idsInPath(`GET ${AIS}/accounts/:AccountId/balances`, `${AIS}/accounts/abc/balances`), ['abc']);
    assert.deepEqual(idsInPath('GET /berlin-group/v1/consents/{consentId}', '/berlin-group/v1/consents/xyz'), ['xyz']);
    assert.deepEqual(idsInPath(`GET ${AIS}/accounts`, `${AIS}/accounts`), []);
  });

  it('names a source by its network: IPv4 /24, IPv6 /48, IPv4-mapped as IPv4', () => {
    assert.equal(networkOf('198.51.100.7'), '198.51.100.0/24');
    assert.equal(networkOf('::ffff:198.51.100.7'), '198.51.100.0/24');
    assert.equal(networkOf('2001:db8:1:2::5'), '2001:db8:1::/48');
  });

  it('counts foreign ids probed (403/404), reads, repeats of a failing request and login failures per username and per source', () => {
    const entries = [
      call('tpp-a', `${AIS}/accounts/x1`, `${AIS}/accounts/:AccountId`, 403),
      call('tpp-a', `${AIS}/accounts/x2`, `${AIS}/accounts/:AccountId`, 404),
      call('tpp-a', `${AIS}/accounts/x2`, `${AIS}/accounts/:AccountId`, 404),
      call('tpp-a', `${AIS}/accounts/own/balances`, `${AIS}/accounts/:AccountId/balances`, 200),
      call('tpp-a', `${AIS}/accounts`, `${AIS}/accounts`, 401),
      login('alice', '203.0.113.9', 'failure'),
      login('bob', '203.0.113.9', 'failure'),
      login('alice', '203.0.113.9', 'success'),
    ];
    const activities = new Map(windowFeatures(entries, window(0)).map((activity) => [`${activity.subject.kind}:${activity.subject.id}`, activity]));
    const tpp = activities.get('tpp:tpp-a')!;
    assert.equal(tpp.values['calls'], 5);
    assert.equal(tpp.values['foreignIds'], 2);
    assert.equal(tpp.values['err403'], 1);
    assert.equal(tpp.values['err404'], 2);
    assert.equal(tpp.values['err401'], 1);
    assert.equal(tpp.values['reads'], 1);
    assert.equal(tpp.values['maxRepeat'], 2);
    assert.deepEqual(activities.get('source:203.0.113.9')!.values, { loginFailures: 2, loginSuccesses: 1, distinctUsernames: 2 });
    assert.equal(activities.get('psu:alice')!.values['loginFailures'], 1);
    assert.ok(tpp.samples.some((sample) => sample.path === `${AIS}/accounts/x1`), 'the evidence samples the probed paths');
  });
});

describe('risk baselines', () => {
  it('learns a mean and spread, floored so that a handful is never many deviations', () => {
    let baseline: Baseline = EMPTY_BASELINE;
    for (let i = 0; i < 200; i++) baseline = learn('calls', baseline, 100 + (i % 2 === 0 ? 5 : -5), 0.05);
    assert.ok(Math.abs(baseline.mean - 100) < 3, String(baseline.mean));
    assert.ok(deviation('calls', baseline, 106) < 2);
    assert.ok(deviation('calls', baseline, 200) > 10);
    assert.equal(deviation('foreignIds', EMPTY_BASELINE, 3), 3, 'a new subject is judged against the floor');
  });

  it('is not taught by an attack: values far above are clipped as it learns', () => {
    let baseline: Baseline = EMPTY_BASELINE;
    for (let i = 0; i < 100; i++) baseline = learn('reads', baseline, 50, 0.05);
    for (let i = 0; i < 10; i++) baseline = learn('reads', baseline, 5000, 0.05);
    assert.ok(baseline.mean < 65, `the mean stays near normal (${baseline.mean})`);
  });
});

describe('risk model', () => {
  it('scores an isolated vector above the ordinary ones, the same for the same reservoir and seed', () => {
    const reservoir = Array.from({ length: 300 }, (_, i) => [Math.sin(i) * 0.5, Math.cos(i) * 0.5, (i % 7) / 10]);
    const candidates = [[9, 9, 9], [0, 0, 0.3]];
    const model = trainAnomalyModel(reservoir, 42, candidates)!;
    const again = trainAnomalyModel(reservoir, 42, candidates)!;
    assert.ok(model.score([9, 9, 9]) > 0.75, String(model.score([9, 9, 9])));
    assert.ok(model.score([0, 0, 0.3]) < 0.6);
    assert.equal(model.score([3, 0, 0]), again.score([3, 0, 0]));
    assert.equal(trainAnomalyModel(reservoir.slice(0, 10), 42), undefined, 'too few windows: no model yet');
  });
});

describe('risk rules over windows', () => {
  const warm = () => {
    const states = new Map<string, SubjectState>();
    const models = newModelBook();
    for (let minute = 0; minute < 120; minute++) assert.deepEqual(detectWindow(window(minute), ordinary('tpp-a', minute), states, models), [], `an ordinary minute raises nothing (${minute})`);
    return { states, models };
  };

  it('bola-probing: a TPP asking for many ids that are not its own', () => {
    const { states, models } = warm();
    const probes = Array.from({ length: 15 }, (_, i) => call('tpp-a', `${AIS}/accounts/foreign-${i}`, `${AIS}/accounts/:AccountId`, 403, 120));
    const detections = detectWindow(window(120), [...ordinary('tpp-a', 120), ...probes], states, models);
    assert.deepEqual(detections.map((d) => [d.rule, d.subject.id]), [['bola-probing', 'tpp-a']]);
    const features = detections[0]!.evidence['features'] as Record<string, { value: number; deviation: number }>;
    assert.equal(features['foreignIds']!.value, 15);
    assert.ok(features['foreignIds']!.deviation >= 6);
  });

  it('credential-stuffing: many usernames failing from one source', () => {
    const attempts = Array.from({ length: 20 }, (_, i) => login(`user${i}`, '203.0.113.50', 'failure'));
    const detections = detectWindow(window(0), attempts, new Map(), newModelBook());
    assert.deepEqual(detections.map((d) => [d.rule, d.subject.kind, d.subject.id]), [['credential-stuffing', 'source', '203.0.113.50']]);
  });

  it('scraping: reads far above the TPP’s own baseline', () => {
    const { states, models } = warm();
    const reads = Array.from({ length: 200 }, (_, i) => call('tpp-a', `${AIS}/accounts/acc-${i}/transactions`, `${AIS}/accounts/:AccountId/transactions`, 200, 120));
    assert.deepEqual(detectWindow(window(120), reads, states, models).map((d) => d.rule), ['scraping']);
  });

  it('retry-storm: the same failing request repeated', () => {
    const { states, models } = warm();
    const retries = Array.from({ length: 50 }, () => call('tpp-a', `${AIS}/accounts/acc-1/transactions`, `${AIS}/accounts/:AccountId/transactions`, 503, 120));
    assert.deepEqual(detectWindow(window(120), [...ordinary('tpp-a', 120), ...retries], states, models).map((d) => d.rule), ['retry-storm']);
  });

  it('has a rule for each attack of the simulated set', () => {
    for (const attack of ['bola-probing', 'credential-stuffing', 'scraping', 'retry-storm', 'new-payee-payout']) assert.ok(RISK_RULES.some((rule) => rule.name === attack));
  });
});

for (const dialect of DIALECTS) {
  describe(`risk module over ${dialect}`, () => {
    let database: TestDatabase;
    let risk: RiskApi;
    const trail: AuditRecord[] = [];
    const recorded: string[] = [];
    const applied: string[] = [];
    const responder: RiskResponder = {
      apply: async (action, subject) => {
        applied.push(`${action} ${subject.id}`);
        return { note: 'test' };
      },
      undo: async (action, subject) => void applied.push(`undo ${action} ${subject.id}`),
      record: async (entry) => void recorded.push(`${entry.action} ${entry.operator} ${entry.outcome}`),
    };
    const toRecord = (entry: TrailEntry, seq: number): AuditRecord => ({ ...entry, partition: '2026-03-02', seq: BigInt(seq), details: JSON.stringify(entry.details), prevHash: '', hash: '' });

    before(async () => {
      database = await openTestDatabase(dialect);
      risk = createRiskModule({
        db: database.db,
        trail: {
          async *activity(window) {
            yield trail.filter((record) => record.at >= window.from && record.at < window.to);
          },
        },
        responder,
        settings: { enabled: true, windowMs: 60_000, lagMs: 0, responses: { 'retry-storm': 'throttle' } },
        logger: silentLogger,
      });
    });
    after(() => database.close());

    it('processes each window once from its watermark, deduplicates alerts, applies, records and undoes the response', async () => {
      const retries = (minute: number) => Array.from({ length: 40 }, () => call('tpp-r', `${AIS}/accounts/a/transactions`, `${AIS}/accounts/:AccountId/transactions`, 429, minute));
      trail.push(...[...retries(0), ...retries(1)].map(toRecord));
      const first = await risk.detect({ to: window(0).to });
      assert.deepEqual(first.map((alert) => [alert.rule, alert.subject.id, alert.count]), [['retry-storm', 'tpp-r', 1]]);
      assert.deepEqual(await risk.detect({ to: window(0).to }), [], 'a window processed is not processed again');
      const second = await risk.detect({ to: window(1).to });
      assert.deepEqual(second.map((alert) => [alert.rule, alert.count]), [['retry-storm', 2]], 'one open alert per rule and subject, counted again');
      const [alert] = await risk.listAlerts({ status: 'open', subjectId: 'tpp-r', limit: 10 });
      assert.equal(alert!.id, first[0]!.id);
      assert.equal(alert!.response?.action, 'throttle');
      assert.deepEqual(applied, ['throttle tpp-r'], 'the response is applied once, when the alert is raised');
      await risk.undoResponse(alert!.id, 'ops-alice');
      const undone = await risk.getAlert(alert!.id);
      assert.equal(undone!.response?.undoneBy, 'ops-alice');
      assert.ok(undone!.response?.undoneAt instanceof Date);
      await assert.rejects(risk.undoResponse(alert!.id, 'ops-alice'), /undone already/);
      await risk.resolveAlert(alert!.id, 'ops-alice');
      assert.equal((await risk.getAlert(alert!.id))!.status, 'resolved');
      assert.deepEqual(recorded, ['risk.throttle portico-risk success', 'risk.undo-throttle ops-alice success', 'risk.resolve-alert ops-alice success']);
    });
  });
}
