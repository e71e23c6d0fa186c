import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { MemoryCache } from '../../src/platform/cache/index.ts';
import { DEFAULT_LOGIN_GUARD, generateTotp, LoginGuard, relyingPartyFor } from '../../src/modules/psu-identity/index.ts';
import { createOperatorsModule, type Operator, type OperatorRole, type OperatorsApi } from '../../src/modules/operators/index.ts';
import type { AuditEntry } from '../../src/modules/audit/index.ts';
import type { KpiDay } from '../../src/modules/insights/index.ts';
import { opsConsole } from '../../src/ui/ops/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { csrfOf, OpsAgent } from '../support/ops-agent.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';

const ORIGIN = 'https://bank.example';
const metaCsrfOf = (body: string) => /<meta name="csrf-token" content="([^"]+)">/.exec(body)?.[1];

/**
 * Operator passkeys through the console's routes (docs/operations-console.md): registering from
 * "Your passkeys", signing in with one from the login page, removing one (the operator, or an
 * admin), each recorded in the audit trail; and the attacks on each ceremony, over HTTP.
 */
describe('operations console passkeys (routes, software authenticator)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let operators: OperatorsApi;
  const recorded: AuditEntry[] = [];
  const recordedOf = (action: string) => recorded.filter((r) => r.action === action).map((r) => [r.outcome, r.details] as const);

  /** A new operator logged in with password and one-time code (once each: a fresh operator per test). */
  async function loggedIn(username: string, role: OperatorRole = 'viewer'): Promise<{ agent: OpsAgent; operator: Operator }> {
    const created = await operators.create({ username, password: 'correct horse battery', role });
    const agent = new OpsAgent(app);
    const form = await agent.get('/ops/login');
    await agent.post('/ops/login', { username, password: 'correct horse battery', csrf: csrfOf(form.body) });
    const code = await agent.get('/ops/login/otp');
    assert.equal((await agent.post('/ops/login/otp', { otp: generateTotp(created.totpSecret, new Date()), csrf: csrfOf(code.body) })).headers.location, '/ops');
    return { agent, operator: created.operator };
  }

  /** Registers a passkey named `name` from "Your passkeys", as passkeys.js does. */
  async function register(agent: OpsAgent, authenticator: SoftwareAuthenticator, name: string): Promise<LightMyRequestResponse> {
    const page = await agent.get('/ops/passkeys');
    const csrf = metaCsrfOf(page.body);
    const options = await agent.postJson('/ops/passkeys/options', { name, csrf }, csrf);
    assert.equal(options.statusCode, 200, options.body);
    return agent.postJson('/ops/passkeys', authenticator.create(options.json()), csrf);
  }

  /** Signs in from the login page with the authenticator's passkey; `tamper` changes the assertion. */
  async function passkeyLogin(authenticator: SoftwareAuthenticator, as: Parameters<SoftwareAuthenticator['get']>[1] = {}): Promise<{ agent: OpsAgent; response: LightMyRequestResponse }> {
    const agent = new OpsAgent(app);
    const csrf = metaCsrfOf((await agent.get('/ops/login')).body);
    const options = await agent.postJson('/ops/login/passkey/options', {}, csrf);
    assert.equal(options.statusCode, 200, options.body);
    return { agent, response: await agent.postJson('/ops/login/passkey', authenticator.get(options.json(), as), csrf) };
  }

  before(async () => {
    database = await openTestDatabase('pglite');
    const cache = new MemoryCache();
    operators = createOperatorsModule({ db: database.db, loginGuard: new LoginGuard(cache, DEFAULT_LOGIN_GUARD), cache, relyingParty: relyingPartyFor(ORIGIN) });
    app = Fastify();
    await app.register(opsConsole, {
      sessions: cache,
      operators,
      audit: { record: (entry) => (recorded.push(entry), true), search: async () => ({ records: [] }), requestVerification: async () => 'none', verification: async () => undefined, verifications: async () => [] },
      insights: { day: async (date) => ({ date, hours: [] }) as unknown as KpiDay, latency: async () => [] },
      tpps: { list: async () => [], get: async () => undefined, certificates: async () => [], clients: async () => [], setStatus: async () => ({}) as never },
      consents: { find: async () => undefined, ofPsu: async () => [], paymentOf: async () => undefined },
      sandbox: false,
      publicUrl: ORIGIN,
    });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await database?.close();
  });

  it('the login page offers "Sign in with a passkey" (shown by its script, under the strict CSP) and serves the scripts', async () => {
    const page = await new OpsAgent(app).get('/ops/login');
    assert.match(page.body, /<button class="primary" type="button" hidden data-passkey-authenticate="\/ops\/login\/passkey">Sign in with a passkey<\/button>/);
    assert.match(page.body, /<script src="\/ops\/assets\/webauthn.js" defer><\/script>\s*<script src="\/ops\/assets\/passkeys.js" defer><\/script>/);
    assert.equal(metaCsrfOf(page.body), csrfOf(page.body));
    assert.match(page.headers['content-security-policy'] as string, /script-src 'self'; connect-src 'self'/);
    for (const [asset, pattern] of [
      ['webauthn.js', /SimpleWebAuthnBrowser/],
      ['passkeys.js', /data-passkey-authenticate/],
    ] as const) {
      const served = await app.inject({ method: 'GET', url: `/ops/assets/${asset}` });
      assert.deepEqual([served.statusCode, served.headers['content-type']], [200, 'text/javascript; charset=utf-8']);
      assert.match(served.body, pattern);
    }
  });

  it('an operator registers a named passkey, then signs in with it alone — a new session, the role applied, each step recorded', async () => {
    const { agent, operator } = await loggedIn('ivy.viewer');
    const before = await agent.get('/ops/passkeys');
    assert.match(before.body, /You have no passkeys yet/);
    assert.match(before.body, /<label for="passkey-name">Passkey name<\/label>/);
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    const added = await register(agent, authenticator, 'Work <laptop>');
    assert.deepEqual([added.statusCode, added.json()], [201, { message: 'Passkey added' }]);
    const listed = await agent.get('/ops/passkeys');
    assert.match(listed.body, /<td>Work &lt;laptop&gt;<\/td>/);
    assert.match(listed.body, /<button class="danger" type="submit">Remove Work &lt;laptop&gt;<\/button>/);
    assert.deepEqual(recordedOf('ops add-passkey'), [['success', { operator: 'ivy.viewer', role: 'viewer', via: 'console', passkey: 'Work <laptop>' }]]);

    const { agent: browser, response } = await passkeyLogin(authenticator);
    assert.deepEqual([response.statusCode, response.json()], [200, { location: '/ops' }]);
    const cookie = response.cookies.find((c) => c.name === 'portico_ops' && c.value)!;
    assert.deepEqual([cookie.sameSite, cookie.httpOnly, cookie.secure, cookie.path], ['Strict', true, true, '/ops']);
    const home = await browser.get('/ops/tpps');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /ivy\.viewer \(viewer\)/);
    // A passkey replaces both factors, not the role: a viewer still cannot manage operators.
    assert.equal((await browser.get('/ops/operators')).statusCode, 403);
    const login = recorded.filter((r) => r.action === 'ops login' && r.details?.['operator'] === 'ivy.viewer').map((r) => r.details?.['factors']);
    assert.deepEqual(login, [['password', 'one-time-code'], ['passkey']]);
    assert.deepEqual((await operators.listPasskeys(operator.id)).map((p) => p.lastUsedAt !== null), [true]);
  });

  it('attack: replayed challenge — the same assertion posted again is refused (401) and recorded', async () => {
    const { agent } = await loggedIn('jon.replays');
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    await register(agent, authenticator, 'Phone');
    const browser = new OpsAgent(app);
    const csrf = metaCsrfOf((await browser.get('/ops/login')).body);
    const assertion = authenticator.get((await browser.postJson('/ops/login/passkey/options', {}, csrf)).json());
    assert.equal((await browser.postJson('/ops/login/passkey', assertion, csrf)).statusCode, 200);
    // The attacker's copy, in a login session of their own that asked for no challenge; and again in
    // the browser, whose session (and token) the login replaced.
    const attacker = new OpsAgent(app);
    const attackerCsrf = metaCsrfOf((await attacker.get('/ops/login')).body);
    const signedInCsrf = metaCsrfOf((await browser.get('/ops/passkeys')).body);
    assert.notEqual(signedInCsrf, csrf);
    assert.equal((await browser.postJson('/ops/login/passkey', assertion, csrf)).statusCode, 403);
    for (const [who, token] of [
      [attacker, attackerCsrf],
      [browser, signedInCsrf],
    ] as const) {
      const replayed = await who.postJson('/ops/login/passkey', assertion, token);
      assert.deepEqual([replayed.statusCode, replayed.json()], [401, { message: 'The passkey could not be verified' }]);
    }
    assert.deepEqual(recordedOf('ops login passkey').slice(-1), [['failure', { operator: 'unknown', via: 'console', reason: 'challenge' }]]);
  });

  it('attack: wrong origin — an assertion made on a look-alike site is refused and recorded', async () => {
    const { agent } = await loggedIn('kim.phished');
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    await register(agent, authenticator, 'Laptop');
    const { response } = await passkeyLogin(authenticator, { origin: 'https://bank-example.evil' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.cookies.find((c) => c.name === 'portico_ops' && c.value), undefined);
    assert.deepEqual(recordedOf('ops login passkey').slice(-1), [['failure', { operator: 'kim.phished', role: 'viewer', via: 'console', reason: 'verification' }]]);
  });

  it('attack: a suspended operator — their passkey signs in no more; enabled again, it does', async () => {
    const { agent, operator } = await loggedIn('lee.suspended', 'operator');
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    await register(agent, authenticator, 'Laptop');
    const { agent: admin } = await loggedIn('max.admin', 'admin');
    const page = await admin.get('/ops/operators');
    assert.equal((await admin.post(`/ops/operators/${operator.id}/disable`, { csrf: csrfOf(page.body) })).statusCode, 303);
    assert.equal((await passkeyLogin(authenticator)).response.statusCode, 401);
    assert.deepEqual(recordedOf('ops login passkey').slice(-1), [['failure', { operator: 'lee.suspended', role: 'operator', via: 'console', reason: 'disabled' }]]);
    // Their open session ended with the suspension (the operator is read on every request), script requests too.
    assert.equal((await agent.postJson('/ops/passkeys/options', { name: 'Another' }, metaCsrfOf(page.body))).statusCode, 401);
    await admin.post(`/ops/operators/${operator.id}/enable`, { csrf: csrfOf(page.body) });
    assert.equal((await passkeyLogin(authenticator)).response.statusCode, 200);
  });

  it("attack: a removed passkey, and another operator's — an operator removes only their own; the removed one signs in no more", async () => {
    const { agent: owner, operator } = await loggedIn('ned.owner');
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    await register(owner, authenticator, 'Old phone');
    const [passkey] = await operators.listPasskeys(operator.id);
    const { agent: other } = await loggedIn('oli.other');
    const otherPage = await other.get('/ops/passkeys');
    const refused = await other.post(`/ops/passkeys/${passkey!.id}/remove`, { csrf: csrfOf(otherPage.body) });
    assert.equal(refused.statusCode, 404);
    assert.match(refused.body, /No such passkey/);
    assert.equal((await operators.listPasskeys(operator.id)).length, 1);
    assert.deepEqual(recordedOf('ops remove-passkey'), [['failure', { operator: 'oli.other', role: 'viewer', via: 'console', reason: 'not-found' }]]);
    // The owner's own removal needs the page's token, like every form.
    assert.equal((await owner.post(`/ops/passkeys/${passkey!.id}/remove`, {})).statusCode, 403);
    const page = await owner.get('/ops/passkeys');
    assert.equal((await owner.post(`/ops/passkeys/${passkey!.id}/remove`, { csrf: csrfOf(page.body) })).headers.location, '/ops/passkeys');
    assert.match((await owner.get('/ops/passkeys')).body, /You have no passkeys yet/);
    assert.deepEqual(recordedOf('ops remove-passkey').slice(-1), [['success', { operator: 'ned.owner', role: 'viewer', via: 'console', passkey: 'Old phone' }]]);
    assert.equal((await passkeyLogin(authenticator)).response.statusCode, 401);
    assert.deepEqual(recordedOf('ops login passkey').slice(-1), [['failure', { operator: 'unknown', via: 'console', reason: 'unknown-credential' }]]);
  });

  it("admins see an operator's passkeys from the Operators page and remove one; others cannot", async () => {
    const { agent: owner, operator } = await loggedIn('pia.lost-device', 'operator');
    await register(owner, new SoftwareAuthenticator(ORIGIN), 'Lost phone');
    const [passkey] = await operators.listPasskeys(operator.id);
    // Not an admin: the page and the removal are refused (and the refusal recorded).
    const ownPage = await owner.get('/ops/passkeys');
    assert.equal((await owner.get(`/ops/operators/${operator.id}/passkeys`)).statusCode, 403);
    assert.equal((await owner.post(`/ops/operators/${operator.id}/passkeys/${passkey!.id}/remove`, { csrf: csrfOf(ownPage.body) })).statusCode, 403);
    assert.deepEqual(recordedOf('ops remove-operator-passkey'), [['failure', { operator: 'pia.lost-device', role: 'operator', via: 'console', reason: 'role', needed: 'admin' }]]);

    const { agent: admin } = await loggedIn('quinn.admin', 'admin');
    const list = await admin.get('/ops/operators');
    assert.match(list.body, new RegExp(`<a href="/ops/operators/${operator.id}/passkeys">1<span class="hint"> passkeys of pia.lost-device</span></a>`));
    const page = await admin.get(`/ops/operators/${operator.id}/passkeys`);
    assert.match(page.body, /<h1>Passkeys of pia\.lost-device<\/h1>/);
    assert.match(page.body, /<td>Lost phone<\/td>/);
    const removed = await admin.post(`/ops/operators/${operator.id}/passkeys/${passkey!.id}/remove`, { csrf: csrfOf(page.body) });
    assert.equal(removed.headers.location, `/ops/operators/${operator.id}/passkeys`);
    assert.deepEqual(await operators.listPasskeys(operator.id), []);
    assert.deepEqual(recordedOf('ops remove-operator-passkey').slice(-1), [['success', { operator: 'quinn.admin', role: 'admin', via: 'console', subject: 'pia.lost-device', passkey: 'Lost phone' }]]);
  });

  it('registration needs a login and the page token, a valid name, and a response to this session\'s challenge; bad bodies are 4xx', async () => {
    const anonymous = new OpsAgent(app);
    const loginCsrf = metaCsrfOf((await anonymous.get('/ops/login')).body);
    for (const url of ['/ops/passkeys/options', '/ops/passkeys']) {
      const response = await anonymous.postJson(url, { name: 'x' }, loginCsrf);
      assert.deepEqual([url, response.statusCode, response.json()], [url, 401, { message: 'Your session has ended. Log in again.' }]);
    }
    const { agent } = await loggedIn('ray.registers');
    const csrf = metaCsrfOf((await agent.get('/ops/passkeys')).body);
    assert.equal((await agent.postJson('/ops/passkeys/options', { name: 'x' }, undefined)).statusCode, 403);
    assert.equal((await agent.postJson('/ops/passkeys/options', { name: 'x' }, 'y'.repeat(43))).statusCode, 403);
    const unnamed = await agent.postJson('/ops/passkeys/options', { name: ' ' }, csrf);
    assert.deepEqual([unnamed.statusCode, unnamed.json()], [400, { message: 'Name the passkey (1 to 64 characters) so that you can tell it from your others' }]);
    // A response to no challenge of this session (none asked for): refused.
    const options = await agent.postJson('/ops/passkeys/options', { name: 'Desk key' }, csrf);
    const response = new SoftwareAuthenticator(ORIGIN).create(options.json());
    assert.equal((await agent.postJson('/ops/passkeys', response, csrf)).statusCode, 201);
    assert.deepEqual([(await agent.postJson('/ops/passkeys', response, csrf)).statusCode], [400]);
    assert.deepEqual(recordedOf('ops add-passkey').filter(([, d]) => d?.['operator'] === 'ray.registers'), [
      ['failure', { operator: 'ray.registers', role: 'viewer', via: 'console', reason: 'csrf' }],
      ['failure', { operator: 'ray.registers', role: 'viewer', via: 'console', reason: 'csrf' }],
      ['failure', { operator: 'ray.registers', role: 'viewer', via: 'console', reason: 'OPERATORS.INVALID_PASSKEY_NAME' }],
      ['success', { operator: 'ray.registers', role: 'viewer', via: 'console', passkey: 'Desk key' }],
      ['failure', { operator: 'ray.registers', role: 'viewer', via: 'console', reason: 'challenge' }],
    ]);
    // Not JSON, or JSON that is no credential: a 4xx, never a server error.
    for (const [url, body] of [
      ['/ops/passkeys', '{not json'],
      ['/ops/login/passkey', '{not json'],
      ['/ops/passkeys', 'null'],
      ['/ops/passkeys', '[]'],
    ] as const) {
      const answered = await agent.postJson(url, body, csrf);
      assert.ok(answered.statusCode >= 400 && answered.statusCode < 500, `${url} ${body}: ${answered.statusCode}`);
    }
  });

  it('the passkey login needs the login page\'s token', async () => {
    const agent = new OpsAgent(app);
    await agent.get('/ops/login');
    assert.deepEqual([(await agent.postJson('/ops/login/passkey/options', {}, undefined)).statusCode], [403]);
    assert.deepEqual([(await agent.postJson('/ops/login/passkey', {}, 'z'.repeat(43))).statusCode], [403]);
    assert.equal((await new OpsAgent(app).postJson('/ops/login/passkey/options', {}, 'z'.repeat(43))).statusCode, 403);
  });
});
