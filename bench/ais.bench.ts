/**
 * bench:ais — OB v4.0 account reads through the full security pipeline, against a bare route.
 * The platform runs in a child process (bench/bench-ais-server.ts) in sandbox mode on PostgreSQL
 * (a throw-away database on DATABASE_URL) and Redis (REDIS_URL); this process is the TPP, with an
 * undici pool of keep-alive mTLS connections carrying its transport certificate. It measures:
 *   GET /accounts/{AccountId}/balances and GET /accounts/{AccountId}/transactions (first page of
 *   100) through require-mtls → check-tpp-certificate (directory) → check-access-token →
 *   check-token-binding → check-grant-type → check-scope → check-interaction-headers →
 *   check-consent-authorised → check-permission → check-account-in-consent → the read;
 *   and, as the baseline, bench-only routes returning the same JSON documents with no checks.
 * Closed loop (BENCH_CONCURRENCY in flight, default 16) for throughput, phases interleaved over
 * BENCH_ROUNDS rounds (default 3) of BENCH_SECONDS (default 3); then an open loop at BENCH_RATE
 * (default 1000) requests per second for BENCH_RATE_SECONDS (default 5) for the latency at that load.
 * It also reports the server's CPU time per request of each closed-loop phase (Linux), the figure
 * least disturbed by other work on the machine. BENCH_ONLY=<text> runs only the closed-loop phases
 * whose name contains it, for profiling (BENCH_SERVER_NODE_OPTIONS=--cpu-prof …), and no ratios.
 */
import { BENCH_DATABASE_URL, openBenchDatabase } from './bench-database.ts';
import { aisClient, closedLoop, newSamples, openLoop, processCpuMicros, startBenchServer, stopBenchServer, summarise, tableRow, TABLE_HEADER, type BenchResponse, type PhaseResult, type Samples } from './bench-harness.ts';
import type { BenchAisServerReady } from './bench-ais-server.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const MAX_REQUESTS = Number(process.env['BENCH_MAX_REQUESTS'] ?? 30_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const RATE = Number(process.env['BENCH_RATE'] ?? 1000);
const RATE_SECONDS = Number(process.env['BENCH_RATE_SECONDS'] ?? 5);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ONLY = process.env['BENCH_ONLY'];
const AISP = '/open-banking/v4.0/aisp/accounts';

const database = await openBenchDatabase(1);
const { child, ready } = await startBenchServer<BenchAisServerReady>('bench-ais-server.ts', { DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'warn' }).catch(async (error: unknown) => {
  await database.close();
  throw error;
});
try {
  const { get, accountId, pool } = await aisClient(ready, Math.max(CONCURRENCY, 64));
  const balancesPath = `${AISP}/${accountId}/balances`;
  const transactionsPath = `${AISP}/${accountId}/transactions`;
  const first = { balances: await get(balancesPath), transactions: await get(transactionsPath) };
  for (const [name, response] of Object.entries(first)) if (response.status !== 200) throw new Error(`${name}: ${response.status} ${response.body}`);
  // The baseline answers the very documents the protected routes produced.
  await new Promise<void>((resolve) => {
    child.once('message', () => resolve());
    child.send({ balances: JSON.parse(first.balances.body), transactions: JSON.parse(first.transactions.body) });
  });
  const bareBalances = `${ready.barePrefix}/${accountId}/balances`;
  const bareTransactions = `${ready.barePrefix}/${accountId}/transactions`;
  const sameBody = async (bare: string, real: BenchResponse) => {
    if ((await get(bare)).body !== real.body) throw new Error(`the baseline ${bare} does not answer the same document`);
  };
  await sameBody(bareBalances, first.balances);
  await sameBody(bareTransactions, first.transactions);

  const transactionsOnPage = (JSON.parse(first.transactions.body) as { Data: { Transaction: unknown[] } }).Data.Transaction.length;
  console.log(
    `bench:ais on PostgreSQL ${new URL(BENCH_DATABASE_URL).host} + Redis ${new URL(REDIS_URL).host}, server in a child process (sandbox mode: directory checks on), ` +
      `undici keep-alive mTLS pool; account with ${ready.transactions} transactions, ${transactionsOnPage} per page (${first.transactions.body.length} bytes), balances ${first.balances.body.length} bytes`,
  );

  const options = { concurrency: CONCURRENCY, seconds: SECONDS, maxRequests: MAX_REQUESTS, expected: 200 };
  const phases: Record<string, { samples: Samples; run: () => Promise<BenchResponse> }> = {
    'balances (protected)': { samples: newSamples(), run: () => get(balancesPath) },
    'balances (bare)': { samples: newSamples(), run: () => get(bareBalances) },
    'transactions (protected)': { samples: newSamples(), run: () => get(transactionsPath) },
    'transactions (bare)': { samples: newSamples(), run: () => get(bareTransactions) },
  };
  if (ONLY) for (const name of Object.keys(phases)) if (!name.includes(ONLY)) delete phases[name];
  const serverCpu: Record<string, number> = {};
  // Warm-up: connections, JIT, query plans, the token, consent and read caches.
  for (let i = 0; i < 300; i++) await Promise.all(Object.values(phases).map((phase) => phase.run()));
  for (let round = 1; round <= ROUNDS; round++) {
    process.stdout.write(`round ${round}/${ROUNDS}:`);
    for (const [name, phase] of Object.entries(phases)) {
      const before = { n: phase.samples.latencies.length, s: phase.samples.seconds, cpu: processCpuMicros(child.pid) };
      await closedLoop(phase.samples, options, phase.run);
      const cpu = processCpuMicros(child.pid);
      if (before.cpu !== undefined && cpu !== undefined) serverCpu[name] = (serverCpu[name] ?? 0) + cpu - before.cpu;
      process.stdout.write(` ${name} ${((phase.samples.latencies.length - before.n) / (phase.samples.seconds - before.s)).toFixed(0)}/s`);
    }
    process.stdout.write('\n');
  }
  const cpuPerRequest = (name: string) => (serverCpu[name] === undefined ? undefined : serverCpu[name]! / phases[name]!.samples.latencies.length);
  const cpuLine = () =>
    `server CPU per request (closed loop): ${Object.keys(phases)
      .map((name) => `${name} ${cpuPerRequest(name)?.toFixed(0) ?? '?'} µs`)
      .join(', ')}`;
  if (ONLY) {
    await pool.close();
    console.log('');
    for (const line of TABLE_HEADER) console.log(line);
    for (const [name, phase] of Object.entries(phases)) console.log(tableRow(`GET ${name}`, summarise(phase.samples)));
    console.log(cpuLine());
    await stopBenchServer(child);
    await database.close();
    process.exit(0);
  }
  const fixedRate: Record<string, Samples> = { 'balances (protected)': newSamples(), 'transactions (protected)': newSamples(), 'balances (bare)': newSamples() };
  // The open loop may need more keep-alive connections than the closed loop opened; their TLS
  // handshakes are set-up, not steady-state latency, so one unmeasured second opens them first.
  await openLoop(newSamples(), { rate: RATE, seconds: 1, expected: 200 }, () => get(balancesPath));
  await openLoop(fixedRate['balances (protected)']!, { rate: RATE, seconds: RATE_SECONDS, expected: 200 }, () => get(balancesPath));
  await openLoop(fixedRate['transactions (protected)']!, { rate: RATE, seconds: RATE_SECONDS, expected: 200 }, () => get(transactionsPath));
  await openLoop(fixedRate['balances (bare)']!, { rate: RATE, seconds: RATE_SECONDS, expected: 200 }, () => get(bareBalances));
  await pool.close();

  const results = Object.fromEntries(Object.entries(phases).map(([name, phase]) => [name, summarise(phase.samples)])) as Record<string, PhaseResult>;
  const atRate = Object.fromEntries(Object.entries(fixedRate).map(([name, samples]) => [name, summarise(samples)])) as Record<string, PhaseResult>;
  console.log('');
  console.log(`closed loop, ${CONCURRENCY} in flight:`);
  for (const line of TABLE_HEADER) console.log(line);
  for (const [name, r] of Object.entries(results)) console.log(tableRow(`GET ${name}`, r));
  console.log('');
  console.log(`open loop at ${RATE} requests/s for ${RATE_SECONDS} s (latency from the scheduled send time):`);
  for (const line of TABLE_HEADER) console.log(line);
  for (const [name, r] of Object.entries(atRate)) console.log(tableRow(`GET ${name}`, r));
  const ratio = (protectedName: string, bareName: string) => results[protectedName]!.perSecond / results[bareName]!.perSecond;
  const balancesRatio = ratio('balances (protected)', 'balances (bare)');
  const transactionsRatio = ratio('transactions (protected)', 'transactions (bare)');
  console.log(cpuLine());
  console.log('');
  console.log(`ratio to baseline: balances ${balancesRatio.toFixed(3)}, transactions ${transactionsRatio.toFixed(3)} (target ≥ 0.40)`);
  console.log(
    `p99 at ${RATE}/s: balances ${atRate['balances (protected)']!.p99Ms.toFixed(2)} ms, transactions ${atRate['transactions (protected)']!.p99Ms.toFixed(2)} ms (target < 25 ms); bare ${atRate['balances (bare)']!.p99Ms.toFixed(2)} ms`,
  );
  console.log(
    JSON.stringify({
      bench: 'ais',
      concurrency: CONCURRENCY,
      balancesPerSecond: Math.round(results['balances (protected)']!.perSecond),
      balancesBarePerSecond: Math.round(results['balances (bare)']!.perSecond),
      transactionsPerSecond: Math.round(results['transactions (protected)']!.perSecond),
      transactionsBarePerSecond: Math.round(results['transactions (bare)']!.perSecond),
      balancesRatio: Number(balancesRatio.toFixed(3)),
      transactionsRatio: Number(transactionsRatio.toFixed(3)),
      serverCpuMicrosPerRequest: Object.fromEntries(Object.keys(phases).map((name) => [name, Math.round(cpuPerRequest(name) ?? Number.NaN)])),
      rate: RATE,
      balancesP99AtRateMs: Number(atRate['balances (protected)']!.p99Ms.toFixed(2)),
      transactionsP99AtRateMs: Number(atRate['transactions (protected)']!.p99Ms.toFixed(2)),
    }),
  );
} finally {
  await stopBenchServer(child);
  await database.close();
}
