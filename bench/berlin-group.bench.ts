/**
 * bench:berlin-group — NextGenPSD2 account reads through the facade's full pipeline, against a bare
 * route. The platform runs in a child process (bench/bench-berlin-group-server.ts) in sandbox mode
 * on PostgreSQL (a throw-away database on DATABASE_URL) and Redis (REDIS_URL); this process is the
 * TPP, with an undici pool of keep-alive mTLS connections carrying its QWAC. It measures:
 *   GET /berlin-group/v1/accounts/{account-id}/balances and
 *   GET /berlin-group/v1/accounts/{account-id}/transactions?bookingStatus=booked&dateFrom=… through
 *   X-Request-ID → the QWAC at the directory (AISP role) → Consent-ID (valid, this TPP's, covering
 *   the resource) → the account in the consent (and the frequencyPerDay count without the PSU) → the
 *   read; and, as the baseline, bench-only routes on the same server returning the same JSON
 *   documents with no checks.
 * The timed reads send PSU-IP-Address: the PSU takes part, so they do not count against the
 * consent's frequencyPerDay, which the facade caps at 4 a day per account and resource. The counter
 * is then checked (4 reads without the PSU answer 200, the 5th 429) and one short run without the
 * PSU measures the counted path, every read refused: it is reported apart, outside the ratios.
 * Closed loop (BENCH_CONCURRENCY in flight, default 16), phases interleaved over BENCH_ROUNDS rounds
 * (default 3) of BENCH_SECONDS (default 3), and the server's CPU time per request of each phase
 * (Linux), the figure least disturbed by other work on the machine. BENCH_ONLY=<text> runs only the
 * phases whose name contains it, for profiling (BENCH_SERVER_NODE_OPTIONS=--cpu-prof …), and no ratios.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { BENCH_DATABASE_URL, openBenchDatabase } from './bench-database.ts';
import { closedLoop, newSamples, processCpuMicros, startBenchServer, stopBenchServer, summarise, tableRow, TABLE_HEADER, type BenchResponse, type PhaseResult, type Samples } from './bench-harness.ts';
import type { BenchBerlinGroupServerReady } from './bench-berlin-group-server.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const MAX_REQUESTS = Number(process.env['BENCH_MAX_REQUESTS'] ?? 30_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ONLY = process.env['BENCH_ONLY'];
const TARGET = 0.4;
const ACCOUNTS = '/berlin-group/v1/accounts';
// Early enough that every booked transaction is in the period: the first page is a full one.
const DATE_FROM = '2000-01-01';
const UNATTENDED_PER_DAY = 4;

const database = await openBenchDatabase(1);
const { child, ready } = await startBenchServer<BenchBerlinGroupServerReady>('bench-berlin-group-server.ts', { DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'warn' }).catch(async (error: unknown) => {
  await database.close();
  throw error;
});
try {
  const pool = new Pool(`https://localhost:${ready.port}`, {
    connections: Math.max(CONCURRENCY, 64),
    pipelining: 1,
    connect: { ca: ready.caPem, cert: ready.certPem, key: ready.keyPem, servername: 'localhost', host: '127.0.0.1' },
  });
  /** A read as a TPP sends it: a fresh X-Request-ID, the consent, and PSU-IP-Address unless the PSU is absent. */
  const get = async (path: string, psuPresent = true): Promise<BenchResponse> => {
    const headers = { 'x-request-id': randomUUID(), 'consent-id': ready.consentId, ...(psuPresent ? { 'psu-ip-address': '192.0.2.10' } : {}) };
    const response = await pool.request({ method: 'GET', path, headers });
    return { status: response.statusCode, body: await response.body.text() };
  };
  const account = encodeURIComponent(ready.resourceId);
  const balancesPath = `${ACCOUNTS}/${account}/balances`;
  const transactionsPath = `${ACCOUNTS}/${account}/transactions?bookingStatus=booked&dateFrom=${DATE_FROM}`;
  const first = { balances: await get(balancesPath), transactions: await get(transactionsPath) };
  for (const [name, response] of Object.entries(first)) if (response.status !== 200) throw new Error(`${name}: ${response.status} ${response.body}`);
  // The baseline answers the very documents the pipeline produced.
  await new Promise<void>((resolve) => {
    child.once('message', () => resolve());
    child.send({ balances: JSON.parse(first.balances.body), transactions: JSON.parse(first.transactions.body) });
  });
  const bareBalances = `${ready.barePrefix}/${account}/balances`;
  const bareTransactions = `${ready.barePrefix}/${account}/transactions?bookingStatus=booked&dateFrom=${DATE_FROM}`;
  const sameBody = async (bare: string, real: BenchResponse) => {
    if ((await get(bare)).body !== real.body) throw new Error(`the baseline ${bare} does not answer the same document`);
  };
  await sameBody(bareBalances, first.balances);
  await sameBody(bareTransactions, first.transactions);

  const booked = JSON.parse(first.transactions.body) as { transactions: { booked: unknown[]; _links: { next?: unknown } } };
  console.log(
    `bench:berlin-group on PostgreSQL ${new URL(BENCH_DATABASE_URL).host} + Redis ${new URL(REDIS_URL).host}, server in a child process (sandbox mode: directory checks on), ` +
      `undici keep-alive mTLS pool; account ${ready.iban} with ${ready.transactions} transactions, ${booked.transactions.booked.length} booked on the first page` +
      `${booked.transactions._links.next ? ' (more pages)' : ''} (${first.transactions.body.length} bytes), balances ${first.balances.body.length} bytes`,
  );

  const options = { concurrency: CONCURRENCY, seconds: SECONDS, maxRequests: MAX_REQUESTS, expected: 200 };
  const phases: Record<string, { samples: Samples; run: () => Promise<BenchResponse> }> = {
    'balances (pipeline)': { samples: newSamples(), run: () => get(balancesPath) },
    'balances (bare)': { samples: newSamples(), run: () => get(bareBalances) },
    'transactions (pipeline)': { samples: newSamples(), run: () => get(transactionsPath) },
    'transactions (bare)': { samples: newSamples(), run: () => get(bareTransactions) },
  };
  if (ONLY) for (const name of Object.keys(phases)) if (!name.includes(ONLY)) delete phases[name];
  const serverCpu: Record<string, number> = {};
  /** Runs one closed loop of a phase, adding the server's CPU time it took; returns its rate. */
  const measure = async (name: string, samples: Samples, run: () => Promise<BenchResponse>, expected = 200) => {
    const before = { n: samples.latencies.length, s: samples.seconds, cpu: processCpuMicros(child.pid) };
    await closedLoop(samples, { ...options, expected }, run);
    const cpu = processCpuMicros(child.pid);
    if (before.cpu !== undefined && cpu !== undefined) serverCpu[name] = (serverCpu[name] ?? 0) + cpu - before.cpu;
    return (samples.latencies.length - before.n) / (samples.seconds - before.s);
  };
  // Warm-up: connections, JIT, query plans, the directory's verdict and the consent and read caches.
  for (let i = 0; i < 300; i++) await Promise.all(Object.values(phases).map((phase) => phase.run()));
  for (let round = 1; round <= ROUNDS; round++) {
    process.stdout.write(`round ${round}/${ROUNDS}:`);
    for (const [name, phase] of Object.entries(phases)) process.stdout.write(` ${name} ${(await measure(name, phase.samples, phase.run)).toFixed(0)}/s`);
    process.stdout.write('\n');
  }

  // Without PSU-IP-Address a read counts: the consent's daily reads of the balances answer 200, the
  // next 429; then one run of such reads, each counted and refused (not a read, so not in the ratio).
  const unattended = { name: 'balances without the PSU (counted, 429)', samples: newSamples() };
  if (!ONLY) {
    for (let i = 1; i <= UNATTENDED_PER_DAY + 1; i++) {
      const response = await get(balancesPath, false);
      const expected = i <= UNATTENDED_PER_DAY ? 200 : 429;
      if (response.status !== expected || (expected === 429 && !response.body.includes('ACCESS_EXCEEDED'))) throw new Error(`unattended read ${i}: expected ${expected}, got ${response.status} ${response.body}`);
    }
    await measure(unattended.name, unattended.samples, () => get(balancesPath, false), 429);
  }
  await pool.close();

  const results = Object.fromEntries(Object.entries(phases).map(([name, phase]) => [name, summarise(phase.samples)])) as Record<string, PhaseResult>;
  const requestsOf = (name: string) => (name === unattended.name ? unattended.samples : phases[name]!.samples).latencies.length;
  const cpuPerRequest = (name: string) => (serverCpu[name] === undefined ? undefined : serverCpu[name]! / requestsOf(name));
  console.log('');
  console.log(`closed loop, ${CONCURRENCY} in flight:`);
  for (const line of TABLE_HEADER) console.log(line);
  for (const [name, r] of Object.entries(results)) console.log(tableRow(`GET ${name}`, r));
  if (!ONLY) console.log(tableRow(`GET ${unattended.name}`, summarise(unattended.samples)));
  console.log(
    `server CPU per request (closed loop): ${Object.keys(serverCpu)
      .map((name) => `${name} ${cpuPerRequest(name)?.toFixed(0) ?? '?'} µs`)
      .join(', ')}`,
  );
  if (!ONLY) {
    const ratio = (resource: string) => results[`${resource} (pipeline)`]!.perSecond / results[`${resource} (bare)`]!.perSecond;
    const balancesRatio = ratio('balances');
    const transactionsRatio = ratio('transactions');
    const verdict = (value: number) => `${value.toFixed(3)} ${value >= TARGET ? 'PASS' : 'FAIL'}`;
    console.log('');
    // A report, not a test: a busy machine moves these figures, so the verdict never fails the run.
    console.log(`ratio to baseline: balances ${verdict(balancesRatio)}, transactions ${verdict(transactionsRatio)} (target ≥ ${TARGET.toFixed(2)})`);
    console.log(
      JSON.stringify({
        bench: 'berlin-group',
        concurrency: CONCURRENCY,
        balancesPerSecond: Math.round(results['balances (pipeline)']!.perSecond),
        balancesBarePerSecond: Math.round(results['balances (bare)']!.perSecond),
        transactionsPerSecond: Math.round(results['transactions (pipeline)']!.perSecond),
        transactionsBarePerSecond: Math.round(results['transactions (bare)']!.perSecond),
        balancesRatio: Number(balancesRatio.toFixed(3)),
        transactionsRatio: Number(transactionsRatio.toFixed(3)),
        unattendedRefusedPerSecond: Math.round(summarise(unattended.samples).perSecond),
        serverCpuMicrosPerRequest: Object.fromEntries(Object.keys(serverCpu).map((name) => [name, Math.round(cpuPerRequest(name) ?? Number.NaN)])),
      }),
    );
  }
} finally {
  await stopBenchServer(child);
  await database.close();
}
