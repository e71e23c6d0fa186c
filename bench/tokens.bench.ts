/**
 * bench:tokens — the cost of the OB resource-side security pipeline, end to end over loopback mTLS.
 * The full platform runs in a child process on PostgreSQL (a throw-away database on DATABASE_URL)
 * and Redis (REDIS_URL); this process is the TPP, with keep-alive connections carrying its client
 * certificate. It measures:
 *   (a) client-credentials token issuance (POST /token, tls_client_auth, certificate-bound token);
 *   (b) GET /open-banking/v4.0/aisp/account-access-consents/{ConsentId} through require-mtls →
 *       check-access-token → check-token-binding → check-grant-type → check-scope → the consent read;
 *   (c) a bench-only route of the same shape with no checks and no database read (baseline);
 *   (d) that bench-only answer behind the same security pipeline as (b), to tell the steps' cost
 *       from the consent read's.
 * The phases run interleaved for BENCH_ROUNDS rounds (default 3), so that drift (JIT, caches, other
 * load on the machine) spreads over all of them; figures aggregate the rounds. BENCH_SECONDS
 * (default 3) bounds each phase of a round in time, BENCH_MAX_REQUESTS (default 20000) in count;
 * BENCH_CONCURRENCY (default 16) requests are in flight.
 */
import type { ChildProcess } from 'node:child_process';
import https from 'node:https';
import { openBenchDatabase, BENCH_DATABASE_URL } from './bench-database.ts';
import { closedLoop, newSamples, startBenchServer, stopBenchServer, summarise, type BenchResponse as Response, type PhaseResult, type Samples } from './bench-harness.ts';
import type { BenchServerReady } from './bench-portico-server.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const MAX_REQUESTS = Number(process.env['BENCH_MAX_REQUESTS'] ?? 20_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const CONSENTS = '/open-banking/v4.0/aisp/account-access-consents';

const database = await openBenchDatabase(1);
let server: ChildProcess | undefined;
try {
  const started = await startBenchServer<BenchServerReady>('bench-portico-server.ts', { DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'warn' });
  server = started.child;
  const { ready } = started;
  // One keep-alive agent, as a TPP's HTTP client would have: TLS (and mTLS) handshakes once per connection.
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: ready.caPem, cert: ready.certPem, key: ready.keyPem });
  const send = (method: string, pathname: string, headers: Record<string, string> = {}, body?: string): Promise<Response> =>
    new Promise((resolve, reject) => {
      const request = https.request({ host: '127.0.0.1', servername: 'localhost', port: ready.port, method, path: pathname, agent, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  const tokenRequest = () =>
    send('POST', '/token', { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ grant_type: 'client_credentials', scope: 'accounts', client_id: ready.clientId }).toString());

  const host = new URL(BENCH_DATABASE_URL).host;
  console.log(
    `bench:tokens on PostgreSQL ${host} + Redis ${new URL(REDIS_URL).host}, server in a child process, ${CONCURRENCY} requests in flight over keep-alive mTLS, ${ROUNDS} interleaved rounds of ${SECONDS}s (at most ${MAX_REQUESTS} requests) per phase`,
  );

  const first = await tokenRequest();
  if (first.status !== 200) throw new Error(`token request failed: ${first.status} ${first.body}`);
  const token = (JSON.parse(first.body) as { access_token: string }).access_token;
  const created = await send('POST', CONSENTS, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify({ Data: { Permissions: ['ReadAccountsDetail', 'ReadBalances'] }, Risk: {} }));
  if (created.status !== 201) throw new Error(`consent creation failed: ${created.status} ${created.body}`);
  const consentId = (JSON.parse(created.body) as { Data: { ConsentId: string } }).Data.ConsentId;
  const protectedRead = () => send('GET', `${CONSENTS}/${consentId}`, { authorization: `Bearer ${token}` });
  const bareRead = () => send('GET', `${ready.bareRoute}/${consentId}`, { authorization: `Bearer ${token}` });
  const checkedRead = () => send('GET', `${ready.checkedRoute}/${consentId}`, { authorization: `Bearer ${token}` });

  // Warm-up: connections, JIT, database plans, the token's cache entry.
  for (let i = 0; i < 200; i++) await Promise.all([protectedRead(), bareRead(), checkedRead()]);
  for (let i = 0; i < 20; i++) await tokenRequest();

  const phases = {
    issuance: { samples: newSamples(), run: tokenRequest },
    bare: { samples: newSamples(), run: bareRead },
    checked: { samples: newSamples(), run: checkedRead },
    guarded: { samples: newSamples(), run: protectedRead },
  } satisfies Record<string, { samples: Samples; run: () => Promise<Response> }>;
  for (let round = 1; round <= ROUNDS; round++) {
    process.stdout.write(`round ${round}/${ROUNDS}:`);
    for (const [name, phase] of Object.entries(phases)) {
      const before = { n: phase.samples.latencies.length, s: phase.samples.seconds };
      await closedLoop(phase.samples, { concurrency: CONCURRENCY, seconds: SECONDS, maxRequests: MAX_REQUESTS, expected: 200 }, phase.run);
      process.stdout.write(` ${name} ${((phase.samples.latencies.length - before.n) / (phase.samples.seconds - before.s)).toFixed(0)}/s`);
    }
    process.stdout.write('\n');
  }
  const issuance = summarise(phases.issuance.samples);
  const bare = summarise(phases.bare.samples);
  const checked = summarise(phases.checked.samples);
  const guarded = summarise(phases.guarded.samples);
  agent.destroy();

  const ratio = guarded.perSecond / bare.perSecond;
  const row = (name: string, r: PhaseResult) =>
    `| ${name.padEnd(44)} | ${String(r.requests).padStart(8)} | ${r.seconds.toFixed(1).padStart(7)} | ${r.perSecond.toFixed(0).padStart(10)} | ${r.p50Ms.toFixed(2).padStart(7)} | ${r.p99Ms.toFixed(2).padStart(7)} |`;
  console.log('');
  console.log('| measure                                      | requests | seconds | per second | p50 ms  | p99 ms  |');
  console.log('|----------------------------------------------|---------:|--------:|-----------:|--------:|--------:|');
  console.log(row('(a) POST /token (client credentials, mTLS)', issuance));
  console.log(row('(b) GET consent, full security pipeline', guarded));
  console.log(row('(c) GET bare route, no checks (baseline)', bare));
  console.log(row('(d) GET bare answer behind the pipeline', checked));
  console.log('');
  const perRequestUs = (r: PhaseResult) => 1e6 / r.perSecond;
  console.log(`ratio protected/baseline: ${ratio.toFixed(3)}; pipeline only (d)/(c): ${(checked.perSecond / bare.perSecond).toFixed(3)}`);
  console.log(
    `throughput cost per request: security pipeline ${(perRequestUs(checked) - perRequestUs(bare)).toFixed(0)} µs, consent read and mapping ${(perRequestUs(guarded) - perRequestUs(checked)).toFixed(0)} µs`,
  );
  console.log(
    JSON.stringify({
      bench: 'tokens',
      concurrency: CONCURRENCY,
      tokensPerSecond: Math.round(issuance.perSecond),
      protectedPerSecond: Math.round(guarded.perSecond),
      protectedP50Ms: Number(guarded.p50Ms.toFixed(2)),
      protectedP99Ms: Number(guarded.p99Ms.toFixed(2)),
      baselinePerSecond: Math.round(bare.perSecond),
      baselineP50Ms: Number(bare.p50Ms.toFixed(2)),
      baselineP99Ms: Number(bare.p99Ms.toFixed(2)),
      pipelineOnlyPerSecond: Math.round(checked.perSecond),
      pipelineOnlyP50Ms: Number(checked.p50Ms.toFixed(2)),
      pipelineOnlyP99Ms: Number(checked.p99Ms.toFixed(2)),
      ratio: Number(ratio.toFixed(3)),
    }),
  );
} finally {
  await stopBenchServer(server);
  await database.close();
}
