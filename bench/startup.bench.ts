/**
 * bench:startup — how long `portico start` takes to be ready and what it holds when idle, on the
 * embedded backends (PGlite in a fresh temporary DATA_DIR, memory cache and bus), as a newcomer's
 * `npm start` runs it:
 *   first start: an empty data dir — migrations, the sandbox bank seeded, the CA and keys created;
 *   restart: the same data dir again;
 *   idle RSS: the server's resident memory over BENCH_IDLE_SECONDS (default 5) after ready, the
 *   peak, after the first start or after the restart, whichever is larger.
 * "Ready" is the moment `GET /health/ready` answers 200 over HTTPS (polled every 20 ms once the
 * port accepts connections), timed from the spawn of the process. Each is measured for the
 * compiled JavaScript (dist/, what `npm start` runs after `npm install`) and for the TypeScript
 * sources through tsx (the development path, the baseline), BENCH_RUNS times (default 1; the
 * median is kept), with the CPU time the server used until ready (Linux), which a busy machine
 * disturbs less than wall time. Targets (issue #11): restart < 3 s, first start < 8 s, idle < 350 MB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { processCpuMicros } from './bench-harness.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 1);
const IDLE_SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 5);
const TARGETS = { firstStartMs: 8000, restartMs: 3000, idleRssMb: 350 };

interface Variant {
  readonly name: string;
  readonly args: readonly string[];
}

const COMPILED: Variant = { name: 'compiled (dist/)', args: [path.join(REPO, 'dist/cli/portico.js'), 'start'] };
const TSX: Variant = { name: 'tsx (sources)', args: ['--import', 'tsx', path.join(REPO, 'src/cli/portico.ts'), 'start'] };

interface StartMeasure {
  readonly readyMs: number;
  readonly cpuMs: number | undefined;
  readonly idleRssMb: number | undefined;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function rssMb(pid: number | undefined): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** GET /health/ready: its status, or 0 when nothing answers yet. The CA may not exist yet, so the certificate is not checked here. */
function readyStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const request = https.get({ host: '127.0.0.1', port, path: '/health/ready', rejectUnauthorized: false, timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    request.on('timeout', () => request.destroy());
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Starts the server on `dataDir`, waits until it is ready, samples its idle RSS, stops it. */
async function measureStart(variant: Variant, dataDir: string): Promise<StartMeasure> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? os.tmpdir(), PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...variant.args], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${variant.name} exited with ${child.exitCode}:\n${stderr}`);
      if ((await readyStatus(port)) === 200) break;
      if (Number(process.hrtime.bigint() - started) / 1e9 > 300) throw new Error(`${variant.name} was not ready within 300 s:\n${stderr}`);
      await sleep(20);
    }
    const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = processCpuMicros(child.pid);
    let idleRssMb: number | undefined;
    for (let waited = 0; waited < IDLE_SECONDS * 1000; waited += 250) {
      await sleep(250);
      const rss = rssMb(child.pid);
      if (rss !== undefined) idleRssMb = Math.max(idleRssMb ?? 0, rss);
    }
    return { readyMs, cpuMs: cpu === undefined ? undefined : cpu / 1000, idleRssMb };
  } finally {
    await stop(child);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

interface VariantResult {
  readonly firstStartMs: number;
  readonly firstStartCpuMs: number | undefined;
  readonly restartMs: number;
  readonly restartCpuMs: number | undefined;
  readonly idleRssMb: number;
}

async function measureVariant(variant: Variant): Promise<VariantResult> {
  const first: StartMeasure[] = [];
  const again: StartMeasure[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-startup-'));
    try {
      first.push(await measureStart(variant, dataDir));
      again.push(await measureStart(variant, dataDir));
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
    process.stdout.write(`${variant.name} run ${run + 1}/${RUNS}: first start ${first.at(-1)!.readyMs.toFixed(0)} ms, restart ${again.at(-1)!.readyMs.toFixed(0)} ms\n`);
  }
  const cpu = (measures: StartMeasure[]) => (measures.every((m) => m.cpuMs !== undefined) ? median(measures.map((m) => m.cpuMs!)) : undefined);
  return {
    firstStartMs: median(first.map((m) => m.readyMs)),
    firstStartCpuMs: cpu(first),
    restartMs: median(again.map((m) => m.readyMs)),
    restartCpuMs: cpu(again),
    // The larger of the two: after the first start (seeding done) and after the restart.
    idleRssMb: median(first.map((m, i) => Math.max(m.idleRssMb ?? Number.NaN, again[i]!.idleRssMb ?? Number.NaN))),
  };
}

if (!existsSync(COMPILED.args[0]!)) {
  console.error('bench:startup: dist/ is missing; run `npm run build` (npm install does it) first');
  process.exit(1);
}
console.log(`bench:startup: portico start on PGlite + memory cache and bus, fresh DATA_DIR per run, ${RUNS} run(s), median; ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`);
const compiled = await measureVariant(COMPILED);
const tsx = await measureVariant(TSX);

const row = (name: string, r: VariantResult) =>
  `| ${name.padEnd(17)} | ${(r.firstStartMs / 1000).toFixed(2).padStart(11)} | ${((r.firstStartCpuMs ?? Number.NaN) / 1000).toFixed(2).padStart(8)} | ${(r.restartMs / 1000).toFixed(2).padStart(9)} | ${((r.restartCpuMs ?? Number.NaN) / 1000).toFixed(2).padStart(8)} | ${r.idleRssMb.toFixed(0).padStart(12)} |`;
console.log('');
console.log('| variant           | first start s | CPU s    | restart s | CPU s    | idle RSS MB  |');
console.log('|-------------------|--------------:|---------:|----------:|---------:|-------------:|');
console.log(row(COMPILED.name, compiled));
console.log(row(TSX.name, tsx));
console.log('');
const verdict = (value: number, target: number) => `${value <= target ? 'meets' : 'MISSES'} target ${target}`;
console.log(`first start ${(compiled.firstStartMs / 1000).toFixed(2)} s (${verdict(compiled.firstStartMs, TARGETS.firstStartMs)} ms), ${(compiled.firstStartMs / tsx.firstStartMs).toFixed(2)} × the tsx path`);
console.log(`restart     ${(compiled.restartMs / 1000).toFixed(2)} s (${verdict(compiled.restartMs, TARGETS.restartMs)} ms), ${(compiled.restartMs / tsx.restartMs).toFixed(2)} × the tsx path`);
console.log(`idle RSS    ${compiled.idleRssMb.toFixed(0)} MB (${verdict(compiled.idleRssMb, TARGETS.idleRssMb)} MB), ${(compiled.idleRssMb / tsx.idleRssMb).toFixed(2)} × the tsx path`);
console.log(
  JSON.stringify({
    bench: 'startup',
    runs: RUNS,
    firstStartMs: Math.round(compiled.firstStartMs),
    restartMs: Math.round(compiled.restartMs),
    idleRssMb: Math.round(compiled.idleRssMb),
    tsx: { firstStartMs: Math.round(tsx.firstStartMs), restartMs: Math.round(tsx.restartMs), idleRssMb: Math.round(tsx.idleRssMb) },
    ratioToTsx: {
      firstStart: Number((compiled.firstStartMs / tsx.firstStartMs).toFixed(2)),
      restart: Number((compiled.restartMs / tsx.restartMs).toFixed(2)),
      idleRss: Number((compiled.idleRssMb / tsx.idleRssMb).toFixed(2)),
    },
  }),
);
