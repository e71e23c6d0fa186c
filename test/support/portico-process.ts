import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { loadServerTls } from '../../src/platform/tls/index.ts';
import { TEST_NATS_URL, TEST_REDIS_URL } from './backends.ts';
import { redisKeyPrefixOf } from './start-test-portico.ts';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { httpsRequest, type HttpsRequestOptions } from './https-client.ts';
import { PsuAgent } from './psu-agent.ts';
import type { TestPortico } from './start-test-portico.ts';
import { REDIRECT_URI, TppClient } from './tpp-client.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/portico.mjs');

/**
 * The configuration several sandbox processes share on PostgreSQL, Redis and NATS (a namespace of
 * their own): one server certificate made in `dir` for `publicUrl` (its CA returned), one FX
 * contract key and one key-encryption key, as a scaled-out sandbox requires.
 */
export async function scaledOutSandbox(options: { readonly dir: string; readonly databaseUrl: string; readonly namespace: string; readonly publicUrl: string }): Promise<{ env: Record<string, string>; ca: string }> {
  const tls = await loadServerTls({ dataDir: options.dir, publicUrl: options.publicUrl });
  const env = {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: options.namespace,
    REDIS_KEY_PREFIX: redisKeyPrefixOf(options.databaseUrl, options.dir),
    PUBLIC_URL: options.publicUrl,
    HOST: '127.0.0.1',
    SANDBOX: 'true',
    TLS_CERT_FILE: path.join(options.dir, 'tls', 'server.pem'),
    TLS_KEY_FILE: path.join(options.dir, 'tls', 'server.key.pem'),
    FX_CONTRACT_KEY: randomBytes(32).toString('base64'),
    KEY_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    // Load and journey tests: no rate limits nor OB's daily unattended AIS reads unless a test sets them.
    RATE_LIMITS: 'false',
    AIS_UNATTENDED_READS_PER_DAY: '0',
  };
  return { env, ca: tls.clientCaPems[0]! };
}

export interface Server {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** `portico start` as a child process; resolves once it prints that it listens. */
export function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'start'], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Listening on')) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`portico start (ROLE=${env['ROLE']}) exited with ${code}:\n${output}`)));
  });
}

export async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** A running instance as the test TPP and PSU clients see it: its own base URL, the deployment's public URL. */
export function instance(base: string, publicUrl: string, ca: string): TestPortico {
  return {
    base,
    request: (pathname: string, options: Omit<HttpsRequestOptions, 'ca'> = {}) => httpsRequest(`${base}${pathname}`, { ...options, ca }),
    portico: { config: { http: { publicUrl } } },
  } as unknown as TestPortico;
}

/**
 * The PSU on the bank's pages over HTTP: logs in, enters the one-time code (for a payment on the
 * screen that shows amount and payee), approves for `accountId`; the TPP exchanges the code.
 */
export async function psuAuthorises(api: TestPortico, tpp: TppClient, consentId: string, scope: string, psu: { username: string; password: string; totpSecret: string }, accountId: string): Promise<string> {
  const agent = new PsuAgent(api);
  const { verifier, challenge } = TppClient.pkce();
  const state = randomUUID();
  const url = await tpp.fapi1AuthorisationUrl(consentId, state, randomUUID(), challenge, { scope });
  await agent.go(url.replace('scope=openid+accounts', `scope=${scope.replace(' ', '+')}`));
  const interaction = agent.location;
  const afterLogin = await agent.go(`${interaction}/login`, { username: psu.username, password: psu.password });
  const otp = generateTotp(psu.totpSecret, new Date());
  let approved;
  if (scope === 'openid payments') {
    const binding = /name="binding" value="([^"]+)"/.exec(afterLogin.text)?.[1];
    assert.ok(binding, afterLogin.text);
    approved = await agent.go(`${interaction}/consent`, { decision: 'approve', accounts: accountId, binding, otp });
  } else {
    assert.match((await agent.go(`${interaction}/otp`, { otp })).text, /name="accounts"/);
    approved = await agent.go(`${interaction}/consent`, { decision: 'approve', accounts: accountId });
  }
  assert.ok(agent.location.startsWith(REDIRECT_URI), `back at the TPP, not ${agent.location}: ${approved.status} ${approved.text.slice(0, 500)}`);
  const fragment = new URLSearchParams(new URL(agent.location).hash.slice(1));
  assert.equal(fragment.get('state'), state);
  const exchanged = await tpp.exchangeCode(fragment.get('code')!, verifier);
  assert.equal(exchanged.status, 200, exchanged.text);
  return exchanged.json<{ access_token: string }>().access_token;
}

