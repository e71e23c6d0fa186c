import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPortico, type Portico } from '../../src/app/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import { AISP, aisGet, grantAccountAccess, sandboxPsu, type AisAccess } from '../support/ais-access.ts';
import { openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { freePort } from '../support/free-port.ts';
import { httpsRequest, type HttpsResponse } from '../support/https-client.ts';
import { deleteTestStreams } from '../support/nats-cleanup.ts';
import { platformCiphers } from '../support/consents-module.ts';
import { expectObError } from '../support/ob-errors.ts';
import { assertMatchesSchema, assertObResponse, bgResponseSchema } from '../support/openapi.ts';
import { scaledOutSandbox } from '../support/portico-process.ts';
import { silentLogger } from '../support/silent-logger.ts';
import type { TestPortico } from '../support/start-test-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { detailedConsent, XS2A, Xs2aClient } from '../support/xs2a-client.ts';

/** Low limits, and a window longer than the test, so no count starts again while it runs (no timing). */
const LIMITS = {
  RATE_LIMITS: 'true',
  RATE_LIMIT_WINDOW_SECONDS: '3600',
  RATE_LIMIT_ACCOUNTS_PER_CONSENT: '10',
  RATE_LIMIT_BERLIN_GROUP_PER_CLIENT: '4',
  AIS_UNATTENDED_READS_PER_DAY: '4',
  RATE_LIMIT_REGISTRATION_PER_CLIENT: '3',
  // Above what the other tests' TPP asks of the authorization server (two tokens per consent granted).
  RATE_LIMIT_AUTHORIZATION_PER_CLIENT: '12',
};

/** The Retry-After of a 429: present, a whole number of seconds (RFC 9110 §10.2.3), within `max`. */
function retryAfterOf(response: HttpsResponse, max: number): number {
  const header = response.headers['retry-after'];
  assert.equal(typeof header, 'string', `a 429 carries Retry-After: ${JSON.stringify(response.headers)}`);
  assert.match(header as string, /^[1-9]\d*$/, `Retry-After is an integer number of seconds: ${String(header)}`);
  const seconds = Number(header);
  assert.ok(seconds <= max, `Retry-After ${seconds} within ${max}`);
  return seconds;
}

/**
 * Rate limits and quotas on two instances of one deployment (ROLE=all and ROLE=api) sharing
 * PostgreSQL, Redis and NATS: every count lives in Redis, so a TPP that alternates between
 * instances (as a load balancer spreads it) gets one allowance, not one per instance.
 */
describe('rate limits shared by two instances (PostgreSQL, Redis, NATS)', () => {
  let database: TestDatabase;
  let dir: string;
  const namespace = uniqueName('ratelimits');
  const started: Portico[] = [];
  let a: TestPortico;
  let b: TestPortico;
  let tppA: TppClient;
  let tppB: TppClient;

  before(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-rate-limits-'));
    const [portA, portB] = [await freePort(), await freePort()];
    const publicUrl = `https://localhost:${portA}`;
    const shared = await scaledOutSandbox({ dir, databaseUrl: database.url!, namespace, publicUrl });
    const env = { ...shared.env, ...LIMITS, REPLICAS: '2' };
    const start = async (role: 'all' | 'api', port: number): Promise<TestPortico> => {
      const config = loadConfig({ ...env, ROLE: role, PORT: String(port), DATA_DIR: path.join(dir, role) }, process.cwd());
      const portico = await createPortico(config, { logger: silentLogger, seedSandbox: false });
      started.push(portico);
      // The test's own consents module (grantAccountAccess) opens consents with the platform's key.
      platformCiphers.set(portico.database.db, portico.personalData);
      await portico.listen();
      const base = `https://localhost:${port}`;
      return { portico, base, request: (pathname, options = {}) => httpsRequest(`${base}${pathname}`, { ...options, ca: shared.ca }), close: () => portico.close() };
    };
    a = await start('all', portA);
    b = await start('api', portB);
    await createSandboxModule({ db: a.portico.database.db }).seed({ customers: 5, months: 1, seed: 17, asOf: new Date('2026-01-31T12:00:00Z') });
    tppA = await TppClient.onboard(a, 'Rate Limited Ltd', ['AISP', 'PISP', 'CBPII']);
    await tppA.register();
    // The same TPP, its requests sent to the other instance.
    tppB = new TppClient(b, tppA.tpp);
    tppB.clientId = tppA.clientId;
  });
  after(async () => {
    for (const portico of started.reverse()) await portico.close();
    await database?.close();
    await deleteTestStreams(namespace);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  async function aisAccess(permissions: string[]): Promise<AisAccess & { accountRef: string }> {
    const psu = await sandboxPsu(a, 0);
    const access = await grantAccountAccess(a, tppA, psu, { permissions });
    // The PSU takes part in this first read (counted by the rate limit only).
    const listed = await aisGet(tppA, access.token, `${AISP}/accounts`, { 'x-fapi-customer-ip-address': '198.51.100.7' });
    assert.equal(listed.status, 200, listed.text);
    return { ...access, accountRef: listed.json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account[0]!.AccountId };
  }

  it('attack: rate-limit bypass by switching instance (OB AIS, per consent) — the allowance is one across instances; 429 with Retry-After and the OB error body', async () => {
    const { token, accountRef } = await aisAccess(['ReadAccountsDetail', 'ReadBalances']);
    const pathname = `${AISP}/accounts/${accountRef}/balances`;
    const attended = { 'x-fapi-customer-ip-address': '198.51.100.7' };
    // 1 read above, 9 more alternating between the instances: 10, the consent's allowance.
    for (let i = 0; i < 9; i++) {
      const read = await aisGet(i % 2 === 0 ? tppB : tppA, token, pathname, attended);
      assert.equal(read.status, 200, `read ${i + 2} on instance ${i % 2 === 0 ? 'B' : 'A'}: ${read.text}`);
    }
    for (const [name, tpp] of [['B', tppB], ['A', tppA]] as const) {
      const refused = await aisGet(tpp, token, pathname, { ...attended, 'x-fapi-interaction-id': `93bac548-d2de-4546-b106-880a5018460${name === 'A' ? 'a' : 'b'}` });
      expectObError(refused, 429, 'U014');
      assertObResponse('account-info', 'GET', pathname, refused);
      assert.deepEqual(refused.json(), {
        Id: `93bac548-d2de-4546-b106-880a5018460${name === 'A' ? 'a' : 'b'}`,
        Code: '429 TooManyRequests',
        Message: 'Too many requests under this consent: retry after the delay given in Retry-After',
        Errors: [{ ErrorCode: 'U014', Message: 'Too many requests under this consent: retry after the delay given in Retry-After' }],
      }, `instance ${name}`);
      retryAfterOf(refused, 3600);
    }
    // Another consent of the same TPP has its own allowance.
    const other = await aisAccess(['ReadAccountsDetail']);
    assert.equal((await aisGet(tppB, other.token, `${AISP}/accounts/${other.accountRef}`, attended)).status, 200);
  });

  it('attack: registration flooding across instances — DCR requests count per transport certificate, 429 with the DCR error body', async () => {
    const flooder = await TppClient.onboard(a, 'Registration Flooder Ltd', ['AISP']);
    const onB = new TppClient(b, flooder.tpp);
    const junk = { method: 'POST', headers: { 'content-type': 'application/jose' }, body: 'not.a.jwt' };
    for (const [i, tpp] of [flooder, onB, flooder].entries()) {
      const refused = await tpp.mtls('/register', junk);
      assert.equal(refused.status, 400, `request ${i + 1}: ${refused.text}`);
    }
    for (const tpp of [onB, flooder]) {
      const limited = await tpp.mtls('/register', junk);
      assert.equal(limited.status, 429, limited.text);
      assert.deepEqual(Object.keys(limited.json<Record<string, unknown>>()), ['error', 'error_description']);
      assert.equal(limited.json<{ error: string }>().error, 'temporarily_unavailable');
      retryAfterOf(limited, 3600);
    }
    // Another TPP's certificate has its own allowance: naming a ClientId spends nothing of its owner's.
    const own = await tppA.mtls(`/register/${tppA.clientId}`, { headers: { authorization: `Bearer ${await tppA.clientCredentialsToken('accounts')}` } });
    assert.equal(own.status, 200, own.text);
  });

  it('attack: token endpoint flooding across instances — token, PAR, introspection and revocation requests count per transport certificate; 429 with Retry-After and an OAuth error body', async () => {
    const flooder = await TppClient.onboard(a, 'Token Flooder Ltd', ['AISP', 'PISP', 'CBPII']);
    await flooder.register();
    const onB = new TppClient(b, flooder.tpp);
    const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    // Twelve requests, the allowance, spread over both instances and all four client endpoints; a
    // client_id naming another TPP's client is still counted against the certificate presented.
    const endpoints = ['/token', '/request', '/token/introspection', '/token/revocation'];
    for (let i = 0; i < 12; i++) {
      const response = await (i % 2 === 0 ? flooder : onB).mtls(endpoints[i % 4]!, form({ grant_type: 'client_credentials', scope: 'no-such-scope', client_id: i % 3 === 0 ? tppA.clientId : flooder.clientId, token: 'x' }));
      assert.notEqual(response.status, 429, `request ${i + 1} to ${endpoints[i % 4]}: ${response.text}`);
    }
    for (const [tpp, endpoint] of [[onB, '/token'], [flooder, '/request'], [onB, '/token/revocation']] as const) {
      const limited = await tpp.mtls(endpoint, form({ grant_type: 'client_credentials', scope: 'accounts', client_id: flooder.clientId }));
      assert.equal(limited.status, 429, `${endpoint}: ${limited.text}`);
      assert.equal(limited.headers['cache-control'], 'no-store');
      assert.deepEqual(limited.json(), {
        error: 'temporarily_unavailable',
        error_description: 'Too many requests from this client certificate to the authorization server: retry after the delay given in Retry-After',
      });
      retryAfterOf(limited, 3600);
    }
    // Discovery is not a client endpoint, and the TPP whose client_id the flooder named keeps its own allowance.
    assert.equal((await onB.mtls('/.well-known/openid-configuration')).status, 200);
    assert.match(await tppB.clientCredentialsToken('accounts'), /\S/);
  });

  it('attack: rate-limit bypass by switching instance (Berlin Group, per TPP) — 429 ACCESS_EXCEEDED with Retry-After on both', async () => {
    const xs2aA = new Xs2aClient(a, tppA.tpp);
    const xs2aB = new Xs2aClient(b, tppA.tpp);
    // 1: the consent's creation (on A); 2–4: its status, B, A, B. The TPP's allowance is 4.
    const created = await xs2aA.createConsent(detailedConsent(['DE89370400440532013000']));
    assert.equal(created.status, 201, created.text);
    const { consentId } = created.json<{ consentId: string }>();
    for (const client of [xs2aB, xs2aA, xs2aB]) assert.equal((await client.request(`${XS2A}/consents/${consentId}/status`)).status, 200);
    for (const client of [xs2aA, xs2aB]) {
      const refused = await client.request(`${XS2A}/consents/${consentId}/status`);
      assert.equal(refused.status, 429, refused.text);
      assertMatchesSchema(refused.json(), bgResponseSchema('/v1/consents/{consentId}/status', 'get', 429));
      assert.deepEqual(refused.json(), {
        tppMessages: [{ category: 'ERROR', code: 'ACCESS_EXCEEDED', text: 'Too many requests from this TPP to this API: retry after the delay given in Retry-After' }],
      });
      retryAfterOf(refused, 3600);
    }
  });

  it('OB AIS without the PSU present: the 5th read of a resource in a day is refused on either instance (429, OB body); reads with x-fapi-customer-ip-address are not counted', async () => {
    const { token, accountRef } = await aisAccess(['ReadAccountsDetail', 'ReadBalances']);
    const pathname = `${AISP}/accounts/${accountRef}/balances`;
    for (let i = 0; i < 4; i++) {
      const read = await aisGet(i % 2 === 0 ? tppA : tppB, token, pathname);
      assert.equal(read.status, 200, `unattended read ${i + 1}: ${read.text}`);
    }
    const fifth = await aisGet(tppB, token, pathname, { 'x-fapi-interaction-id': '0a6a3a0e-6a43-4a8e-9d3e-3f1c2d4b5e6f' });
    expectObError(fifth, 429, 'U014');
    assertObResponse('account-info', 'GET', pathname, fifth);
    assert.deepEqual(fifth.json(), {
      Id: '0a6a3a0e-6a43-4a8e-9d3e-3f1c2d4b5e6f',
      Code: '429 TooManyRequests',
      Message: 'The consent allows no more reads of this resource today without the PSU taking part',
      Errors: [{ ErrorCode: 'U014', Message: 'The consent allows no more reads of this resource today without the PSU taking part' }],
    });
    // Until the next UTC day: at most 24 hours.
    retryAfterOf(fifth, 24 * 3600);
    assert.equal((await aisGet(tppA, token, pathname)).status, 429, 'and on the other instance');
    // The PSU present: not limited, and not counted.
    assert.equal((await aisGet(tppA, token, pathname, { 'x-fapi-customer-ip-address': '2001:db8::7' })).status, 200);
    // Another resource of the same consent has its own four reads.
    assert.equal((await aisGet(tppB, token, `${AISP}/accounts/${accountRef}`)).status, 200);
  });

  it('/metrics counts the refused requests by family and limit', async () => {
    const metricsOf = async (app: TestPortico) => (await app.request('/metrics')).text;
    const [ofA, ofB] = [await metricsOf(a), await metricsOf(b)];
    const total = (text: string, labels: string) => Number(new RegExp(`^portico_rate_limited_requests_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    assert.equal(total(ofA, 'family="accounts",limit="consent"') + total(ofB, 'family="accounts",limit="consent"'), 2);
    assert.equal(total(ofA, 'family="berlin-group",limit="client"') + total(ofB, 'family="berlin-group",limit="client"'), 2);
    assert.equal(total(ofA, 'family="accounts",limit="unattended"') + total(ofB, 'family="accounts",limit="unattended"'), 2);
    assert.equal(total(ofA, 'family="authorization",limit="client"') + total(ofB, 'family="authorization",limit="client"'), 3);
  });
});
