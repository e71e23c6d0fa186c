import { readFileSync } from 'node:fs';
/**
 * What the HTTP benchmarks share: the server under test in a child process (so the load generator
 * never shares its event loop), closed-loop and open-loop load, and percentiles.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Pool } from 'undici';
import { loadServerTls } from '../src/platform/tls/index.ts';

export interface BenchResponse {
  readonly status: number;
  readonly body: string;
}

export interface Samples {
  readonly latencies: number[];
  seconds: number;
}

export interface PhaseResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export const newSamples = (): Samples => ({ latencies: [], seconds: 0 });

/**
 * The settings the processes of one deployment share, as test/support/portico-process.ts's
 * scaledOutSandbox: one server certificate made in `dir` (its CA answered, to trust it), one FX
 * contract key and one key-encryption key, Redis and NATS. Each process adds its ROLE, database
 * and NATS namespace.
 */
export async function sharedDeploymentEnv(dir: string): Promise<{ env: Record<string, string>; caPem: string }> {
  const tls = await loadServerTls({ dataDir: dir, publicUrl: 'https://localhost:8443' });
  return {
    caPem: tls.clientCaPems[0]!,
    env: {
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      TLS_CERT_FILE: path.join(dir, 'tls', 'server.pem'),
      TLS_KEY_FILE: path.join(dir, 'tls', 'server.key.pem'),
      FX_CONTRACT_KEY: randomBytes(32).toString('base64'),
      KEY_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
    },
  };
}

/** Forks `script` (in bench/) with `env` and waits for the message it sends when it is ready. */
export function startBenchServer<T>(script: string, env: Record<string, string>, timeoutMs = 120_000): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(path.join(import.meta.dirname, script), [], {
    // BENCH_SERVER_NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to profile the server.
    execArgv: ['--import', 'tsx', ...(process.env['BENCH_SERVER_NODE_OPTIONS']?.split(' ').filter(Boolean) ?? [])],
    env: { PATH: process.env['PATH'] ?? '', ...(process.env['BENCH_SERVER_ENV'] ? Object.fromEntries(new URLSearchParams(process.env['BENCH_SERVER_ENV'])) : {}), ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bench server did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    child.once('message', (ready) => {
      clearTimeout(timer);
      resolve({ child, ready: ready as T });
    });
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
}

export async function stopBenchServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarise(samples: Samples): PhaseResult {
  const sorted = [...samples.latencies].sort((a, b) => a - b);
  return { requests: sorted.length, seconds: samples.seconds, perSecond: sorted.length / samples.seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

/**
 * Closed loop: `concurrency` loops send `request` back to back until `seconds` pass or
 * `maxRequests` were sent; every answer must have status `expected`.
 */
export async function closedLoop(
  samples: Samples,
  options: { concurrency: number; seconds: number; maxRequests: number; expected: number },
  request: () => Promise<BenchResponse>,
): Promise<void> {
  const { latencies } = samples;
  const before = latencies.length;
  let sent = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < deadline && sent < options.maxRequests) {
        sent++;
        const t0 = process.hrtime.bigint();
        const response = await request();
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (response.status !== options.expected) throw new Error(`expected ${options.expected}, got ${response.status}: ${response.body}`);
      }
    }),
  );
  samples.seconds += Number(process.hrtime.bigint() - started) / 1e9;
  if (latencies.length - before !== sent) throw new Error('lost requests');
}

/**
 * Open loop at a fixed rate: requests are sent on schedule whether or not earlier ones have been
 * answered, and each latency is measured from its scheduled time, so a stall shows in the tail
 * instead of silently lowering the rate (no coordinated omission).
 */
export async function openLoop(samples: Samples, options: { rate: number; seconds: number; expected: number }, request: () => Promise<BenchResponse>): Promise<void> {
  const started = process.hrtime.bigint();
  const total = Math.round(options.rate * options.seconds);
  const pending: Array<Promise<void>> = [];
  let sent = 0;
  let failure: Error | undefined;
  while (sent < total && !failure) {
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const due = Math.min(total, Math.floor((elapsedMs / 1000) * options.rate) + 1);
    for (; sent < due; sent++) {
      const scheduled = started + BigInt(Math.round((sent / options.rate) * 1e9));
      pending.push(
        request().then(
          (response) => {
            samples.latencies.push(Number(process.hrtime.bigint() - scheduled) / 1e6);
            if (response.status !== options.expected) failure ??= new Error(`expected ${options.expected}, got ${response.status}: ${response.body}`);
          },
          (error: unknown) => {
            failure ??= error as Error;
          },
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  samples.seconds += Number(process.hrtime.bigint() - started) / 1e9;
  if (failure) throw failure;
}

/** A Markdown table row of a phase. */
export function tableRow(name: string, r: PhaseResult): string {
  return `| ${name.padEnd(52)} | ${String(r.requests).padStart(8)} | ${r.seconds.toFixed(1).padStart(7)} | ${r.perSecond.toFixed(0).padStart(10)} | ${r.p50Ms.toFixed(2).padStart(7)} | ${r.p99Ms.toFixed(2).padStart(7)} |`;
}

export const TABLE_HEADER = [
  `| ${'measure'.padEnd(52)} | requests | seconds | per second | p50 ms  | p99 ms  |`,
  `|${'-'.repeat(54)}|---------:|--------:|-----------:|--------:|--------:|`,
];

/**
 * CPU time (user + system, µs) a process has used so far, from Linux `/proc/{pid}/stat` (clock
 * ticks of 10 ms); undefined where there is no such file. Less sensitive to a busy machine than
 * throughput: it counts the work a request costs, not the time it waited for a core.
 */
export function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}


/** What a bench TPP needs to call an AIS server: where it listens, its CA, the TPP's mTLS pair and PSU token. */
export interface AisClientSetup {
  readonly port: number;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly token: string;
}

/**
 * A TPP's AIS client over a pool of keep-alive mTLS connections: `get` a path with the PSU's token,
 * and the first account's id (read once, failing loudly when the read fails).
 */
export async function aisClient(setup: AisClientSetup, connections: number): Promise<{ get: (path: string) => Promise<BenchResponse>; accountId: string; pool: Pool }> {
  const pool = new Pool(`https://localhost:${setup.port}`, {
    connections,
    pipelining: 1,
    connect: { ca: setup.caPem, cert: setup.certPem, key: setup.keyPem, servername: 'localhost', host: '127.0.0.1' },
  });
  const headers = { authorization: `Bearer ${setup.token}`, 'x-fapi-interaction-id': randomUUID(), 'x-fapi-customer-ip-address': '198.51.100.7' };
  const get = async (path: string): Promise<BenchResponse> => {
    const response = await pool.request({ method: 'GET', path, headers });
    return { status: response.statusCode, body: await response.body.text() };
  };
  const accounts = await get('/open-banking/v4.0/aisp/accounts');
  if (accounts.status !== 200) throw new Error(`GET /accounts failed: ${accounts.status} ${accounts.body}`);
  const accountId = (JSON.parse(accounts.body) as { Data: { Account: Array<{ AccountId: string }> } }).Data.Account[0]!.AccountId;
  return { get, accountId, pool };
}
