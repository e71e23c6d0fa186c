/**
 * bench:core — AIS reads with CORE=remote against CORE=builtin, in the same run. Three platforms
 * run as bench:ais runs one (bench/bench-ais-server.ts: sandbox mode, PostgreSQL + Redis, a child
 * process each, the full AIS pipeline): on the built-in ledger; on the reference core gateway
 * (`portico core serve` in a process of its own, its own database, mutual TLS) with the read cache
 * (warm: what a TPP's repeated reads meet); and on the same gateway with ACCOUNT_READ_CACHE_SECONDS=0
 * (cold: every transactions page read from the core over the gateway, balances from the read
 * model). This process is the TPP with an undici keep-alive mTLS pool. Closed loop
 * (BENCH_CONCURRENCY in flight, default 16), phases interleaved over BENCH_ROUNDS rounds (default
 * 3) of BENCH_SECONDS (default 3), each round starting with the next phase. Figures: requests/s and p50/p99 per phase, and each remote
 * phase's rate as a ratio to the built-in one (target: warm ≥ 0.80).
 */
import type { ChildProcess } from 'node:child_process';
import { openBenchDatabase } from './bench-database.ts';
import { aisClient, closedLoop, newSamples, startBenchServer, stopBenchServer, summarise, tableRow, TABLE_HEADER, type BenchResponse, type PhaseResult, type Samples } from './bench-harness.ts';
import type { BenchAisServerReady } from './bench-ais-server.ts';
import { startCoreGatewayProcess } from '../test/support/core-gateway-process.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const MAX_REQUESTS = Number(process.env['BENCH_MAX_REQUESTS'] ?? 30_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const AISP = '/open-banking/v4.0/aisp/accounts';

type Setup = 'builtin' | 'remote, warm' | 'remote, cold';
interface Platform {
  readonly child: ChildProcess;
  readonly get: (path: string) => Promise<BenchResponse>;
  readonly balances: string;
  readonly transactions: string;
  close(): Promise<void>;
}

const gateway = await startCoreGatewayProcess();
const cleanups: Array<() => Promise<void>> = [() => gateway.stop()];
try {
  const start = async (env: Record<string, string>): Promise<Platform> => {
    const database = await openBenchDatabase(1);
    cleanups.push(() => database.close());
    const { child, ready } = await startBenchServer<BenchAisServerReady>('bench-ais-server.ts', { DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'warn', ...env });
    cleanups.push(() => stopBenchServer(child));
    const { get, accountId, pool } = await aisClient(ready, Math.max(CONCURRENCY, 32));
    return { child, get, balances: `${AISP}/${accountId}/balances`, transactions: `${AISP}/${accountId}/transactions`, close: () => pool.close() };
  };
  const platforms: Record<Setup, Platform> = {
    builtin: await start({}),
    'remote, warm': await start(gateway.env),
    'remote, cold': await start({ ...gateway.env, ACCOUNT_READ_CACHE_SECONDS: '0' }),
  };
  // The same customer's account on all three: the sandbox bank is generated from the same seed.
  const pages = await Promise.all(Object.values(platforms).map(async (p) => JSON.parse((await p.get(p.transactions)).body) as { Data: { Transaction: Array<{ TransactionId: string }> } }));
  const counts = pages.map((page) => page.Data.Transaction.length);
  if (new Set(counts).size !== 1) throw new Error(`the three platforms do not answer the same page (${counts.join(', ')} transactions)`);
  console.log(`bench:core on PostgreSQL + Redis, three platforms in child processes, the reference core gateway in a process of its own (mutual TLS); a first page of ${counts[0]} transactions`);

  const phases: Record<string, { samples: Samples; run: () => Promise<BenchResponse> }> = {};
  for (const [setup, platform] of Object.entries(platforms)) {
    phases[`balances (${setup})`] = { samples: newSamples(), run: () => platform.get(platform.balances) };
    phases[`transactions (${setup})`] = { samples: newSamples(), run: () => platform.get(platform.transactions) };
  }
  // Warm-up: connections, JIT, query plans, the token, consent and (where there is one) read caches.
  for (let i = 0; i < 200; i++) await Promise.all(Object.values(phases).map((phase) => phase.run()));
  const options = { concurrency: CONCURRENCY, seconds: SECONDS, maxRequests: MAX_REQUESTS, expected: 200 };
  for (let round = 1; round <= ROUNDS; round++) {
    process.stdout.write(`round ${round}/${ROUNDS}:`);
    // Each round starts with another phase, so no setup always runs first on a machine warming up.
    const entries = Object.entries(phases);
    const rotated = [...entries.slice((round - 1) % entries.length), ...entries.slice(0, (round - 1) % entries.length)];
    for (const [name, phase] of rotated) {
      const before = { n: phase.samples.latencies.length, s: phase.samples.seconds };
      await closedLoop(phase.samples, options, phase.run);
      process.stdout.write(` ${name} ${((phase.samples.latencies.length - before.n) / (phase.samples.seconds - before.s)).toFixed(0)}/s`);
    }
    process.stdout.write('\n');
  }
  await Promise.all(Object.values(platforms).map((p) => p.close()));
  const results = Object.fromEntries(Object.entries(phases).map(([name, phase]) => [name, summarise(phase.samples)])) as Record<string, PhaseResult>;
  console.log('');
  console.log(`closed loop, ${CONCURRENCY} in flight:`);
  for (const line of TABLE_HEADER) console.log(line);
  for (const [name, r] of Object.entries(results)) console.log(tableRow(`GET ${name}`, r));
  const ratio = (read: string, setup: Setup) => results[`${read} (${setup})`]!.perSecond / results[`${read} (builtin)`]!.perSecond;
  const ratios = {
    balancesWarm: ratio('balances', 'remote, warm'),
    transactionsWarm: ratio('transactions', 'remote, warm'),
    balancesCold: ratio('balances', 'remote, cold'),
    transactionsCold: ratio('transactions', 'remote, cold'),
  };
  console.log('');
  console.log(`ratio to CORE=builtin, warm cache: balances ${ratios.balancesWarm.toFixed(3)}, transactions ${ratios.transactionsWarm.toFixed(3)} (target ≥ 0.80)`);
  console.log(`ratio to CORE=builtin, cold cache: balances ${ratios.balancesCold.toFixed(3)}, transactions ${ratios.transactionsCold.toFixed(3)} (no target: every page crosses the gateway)`);
  console.log(
    JSON.stringify({
      bench: 'core',
      concurrency: CONCURRENCY,
      perSecond: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, Math.round(r.perSecond)])),
      ratios: Object.fromEntries(Object.entries(ratios).map(([name, value]) => [name, Number(value.toFixed(3))])),
    }),
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
