import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { MemoryCache } from '../../src/platform/cache/index.ts';
import { DEFAULT_LOGIN_GUARD, LoginGuard, relyingPartyFor } from '../../src/modules/psu-identity/index.ts';
import { createOperatorsModule } from '../../src/modules/operators/index.ts';
import type { AuditEntry } from '../../src/modules/audit/index.ts';
import type { KpiDay } from '../../src/modules/insights/index.ts';
import { opsConsole } from '../../src/ui/ops/index.ts';
import { opsSingleSignOn } from '../../src/app/ops-single-sign-on.ts';
import { openTestDatabase, type TestDatabase } from '../support/backends.ts';

/** A minimal OpenID provider: discovery, JWKS, an authorisation endpoint that logs `user` in at once, a token endpoint. */
async function startProvider(clientId: string, clientSecret: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const codes = new Map<string, { nonce: string; challenge: string; user: string }>();
  const state = { user: 'ops-operator', signWith: privateKey, audience: clientId };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url!, issuer);
    const json = (body: unknown, status = 200) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration') return json({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` });
    if (url.pathname === '/jwks') return json({ keys: [jwk] });
    if (url.pathname === '/authorize') {
      const code = randomBytes(16).toString('hex');
      codes.set(code, { nonce: url.searchParams.get('nonce')!, challenge: url.searchParams.get('code_challenge')!, user: state.user });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      return response.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/token') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        void (async () => {
          const form = new URLSearchParams(body);
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
          if (!grant || request.headers.authorization !== basic || createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') !== grant.challenge) return json({ error: 'invalid_grant' }, 400);
          const idToken = await new SignJWT({ nonce: grant.nonce, preferred_username: grant.user })
            .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
            .setIssuer(issuer)
            .setAudience(state.audience)
            .setSubject(grant.user)
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(state.signWith);
          json({ access_token: 'x', token_type: 'Bearer', id_token: idToken });
        })();
      });
      return undefined;
    }
    return json({ error: 'not found' }, 404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('operations console single sign-on (OPS_OIDC_*) against an OpenID provider', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  const recorded: AuditEntry[] = [];

  before(async () => {
    provider = await startProvider('portico-ops', 's3cret');
    database = await openTestDatabase('pglite');
    const cache = new MemoryCache();
    const operators = createOperatorsModule({ db: database.db, loginGuard: new LoginGuard(cache, DEFAULT_LOGIN_GUARD), cache, relyingParty: relyingPartyFor('https://bank.example') });
    await operators.seedSandboxLogins();
    app = Fastify();
    await app.register(opsConsole, {
      sessions: cache,
      operators,
      audit: { record: (entry) => (recorded.push(entry), true), search: async () => ({ records: [] }), requestVerification: async () => 'none', verification: async () => undefined, verifications: async () => [] },
      insights: { day: async (date) => ({ date, hours: [] }) as unknown as KpiDay, latency: async () => [] },
      tpps: { list: async () => [], get: async () => undefined, certificates: async () => [], clients: async () => [], setStatus: async () => { throw new Error('unused'); } },
      consents: { find: async () => undefined, ofPsu: async () => [], paymentOf: async () => undefined },
      sandbox: false,
      publicUrl: 'https://bank.example',
      singleSignOn: opsSingleSignOn({ issuer: provider.issuer, clientId: 'portico-ops', clientSecret: 's3cret', usernameClaim: 'preferred_username' }),
    });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await database?.close();
    await provider?.close();
  });

  /** Starts a sign-on, lets the provider answer, returns the callback path and the flow cookie. */
  async function signOn(): Promise<{ callback: string; cookie: string }> {
    const start = await app.inject({ method: 'GET', url: '/ops/login/oidc' });
    assert.equal(start.statusCode, 303);
    const flow = start.cookies.find((c) => c.name === 'portico_ops_sso')!;
    assert.deepEqual([flow.sameSite, flow.path, flow.httpOnly, flow.secure], ['Lax', '/ops/login/oidc', true, true]);
    const authorise = new URL(start.headers.location as string);
    assert.deepEqual([authorise.origin, authorise.searchParams.get('code_challenge_method'), authorise.searchParams.get('redirect_uri')], [provider.issuer, 'S256', 'https://bank.example/ops/login/oidc/callback']);
    const answer = await fetch(authorise, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location')!);
    return { callback: `${back.pathname}${back.search}`, cookie: `portico_ops_sso=${flow.value}` };
  }

  it('the login page offers it; an operator known to the console is logged in with their role', async () => {
    assert.match((await app.inject({ method: 'GET', url: '/ops/login' })).body, /href="\/ops\/login\/oidc"/);
    const { callback, cookie } = await signOn();
    const done = await app.inject({ method: 'GET', url: callback, headers: { cookie } });
    assert.equal(done.headers.location, '/ops');
    const session = done.cookies.find((c) => c.name === 'portico_ops')!;
    const tpps = await app.inject({ method: 'GET', url: '/ops/tpps', headers: { cookie: `portico_ops=${session.value}` } });
    assert.equal(tpps.statusCode, 200);
    assert.match(tpps.body, /ops-operator \(operator\)/);
    assert.deepEqual(recorded.at(-1)?.details, { operator: 'ops-operator', role: 'operator', via: 'console', factors: ['single-sign-on'] });
  });

  it('attack: login CSRF / replay — a callback without its flow cookie, with another state, or used twice is refused', async () => {
    const { callback, cookie } = await signOn();
    assert.equal((await app.inject({ method: 'GET', url: callback })).statusCode, 401);
    const other = await signOn();
    const forged = other.callback.replace(/state=[^&]+/, 'state=forged');
    assert.equal((await app.inject({ method: 'GET', url: forged, headers: { cookie: other.cookie } })).statusCode, 401);
    // The first flow is still unused: it completes once, and only once.
    assert.equal((await app.inject({ method: 'GET', url: callback, headers: { cookie } })).statusCode, 303);
    assert.equal((await app.inject({ method: 'GET', url: callback, headers: { cookie } })).statusCode, 401);
  });

  it('someone the provider knows but the console does not is refused, as is an ID token for another audience', async () => {
    provider.state.user = 'mallory';
    const stranger = await signOn();
    const refused = await app.inject({ method: 'GET', url: stranger.callback, headers: { cookie: stranger.cookie } });
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /not an operator/);
    provider.state.user = 'ops-admin';
    provider.state.audience = 'another-client';
    const misdirected = await signOn();
    assert.equal((await app.inject({ method: 'GET', url: misdirected.callback, headers: { cookie: misdirected.cookie } })).statusCode, 401);
    provider.state.audience = 'portico-ops';
  });
});
