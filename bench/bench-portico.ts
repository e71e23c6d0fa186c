/**
 * A Portico for a benchmark's server process: a throw-away data directory, an ephemeral port on
 * loopback, the environment's DATABASE_URL/REDIS_URL, and a clean stop when the parent ends it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPortico, type Portico } from '../src/app/index.ts';
import { createLogger } from '../src/platform/logger/index.ts';
import { loadConfig, type Config } from '../src/platform/config/index.ts';

export async function createBenchPortico(options: { sandbox: boolean; customers?: number }): Promise<Portico> {
  // A bench reaches its server only through startBenchServer (bench/bench-harness.ts): a value
  // imported from a server module would start a second platform in the bench and keep it alive.
  if (!process.send) throw new Error('a bench server runs in a child process started by startBenchServer; import only types from its module');
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-bench-'));
  // Rate limits would refuse a bench's thousands of reads a minute: off unless the bench sets them (bench:audit).
  const loaded = loadConfig({ RATE_LIMITS: 'false', ...process.env, DATA_DIR: dataDir, SANDBOX: String(options.sandbox) }, process.cwd());
  const config: Config = { ...loaded, http: { ...loaded.http, port: 0, host: '127.0.0.1' } };
  const portico = await createPortico(config, {
    logger: createLogger(process.env['BENCH_SERVER_LOG'] ?? 'warn'),
    // BENCH_OBSERVE_CALLS=false: no audit record nor KPI per call, for bench:audit's baseline.
    observeCalls: process.env['BENCH_OBSERVE_CALLS'] !== 'false',
    seedSandbox: options.sandbox && (options.customers ? { customers: options.customers, months: 1 } : true),
  });
  const shutdown = async () => {
    await portico.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('disconnect', () => void shutdown());
  return portico;
}
