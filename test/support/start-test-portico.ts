import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/platform/config/index.ts';
import { createPortico, type Portico } from '../../src/app/index.ts';
import { openTestDatabase, type Dialect, type TestDatabase } from './backends.ts';
import { httpsRequest, type HttpsRequestOptions, type HttpsResponse } from './https-client.ts';
import { silentLogger } from './silent-logger.ts';
import { freePort } from './free-port.ts';
import { createLogger } from '../../src/platform/logger/index.ts';
import { platformCiphers } from './consents-module.ts';

export interface TestPortico {
  readonly portico: Portico;
  readonly base: string;
  /** HTTPS request to the platform, trusting its sandbox CA. */
  request(pathname: string, options?: Omit<HttpsRequestOptions, 'ca'>): Promise<HttpsResponse>;
  close(): Promise<void>;
}

/**
 * The whole platform listening on a free port: on a throw-away PostgreSQL database, or on PGlite
 * in a fresh data dir; embedded cache and bus unless `env` names real ones.
 */
export async function startTestPortico(dialect: Dialect, env: Record<string, string> = {}, options: { seedSandbox?: boolean; beforeListen?: (portico: Portico) => Promise<void> } = {}): Promise<TestPortico> {
  const database: TestDatabase | undefined = dialect === 'postgres' ? await openTestDatabase('postgres', { migrate: false }) : undefined;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-test-'));
  // The issuer and every URL the platform hands out carry the port, so it is chosen up front.
  const port = await freePort();
  const config: Config = loadConfig(
    // OB's daily limit of unattended AIS reads is off unless a test names it: most read a resource more than 4 times.
    {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      AIS_UNATTENDED_READS_PER_DAY: '0',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
      // One deployment per database: instances of one test on one database share their Redis keys, other tests' never.
      REDIS_KEY_PREFIX: redisKeyPrefixOf(env['DATABASE_URL'] ?? database?.url, dataDir),
      ...env,
    },
    process.cwd(),
  );
  const portico = await createPortico(config, { logger: process.env['TEST_LOG'] ? createLogger('info') : silentLogger, seedSandbox: options.seedSandbox ?? false });
  platformCiphers.set(portico.database.db, portico.personalData);
  // Test-only routes (e.g. a protected resource behind the real security steps) go in before listening.
  await options.beforeListen?.(portico);
  await portico.listen();
  const base = `https://localhost:${port}`;
  const ca = portico.tls.clientCaPems[0]!;
  return {
    portico,
    base,
    request: (pathname, requestOptions = {}) => httpsRequest(`${base}${pathname}`, { ...requestOptions, ca }),
    close: async () => {
      await portico.close();
      await database?.close();
    },
  };
}

/**
 * The Redis key prefix of a test deployment: its database's name (instances sharing a database are
 * one deployment), else its data directory's. Tests run side by side on one Redis server, and
 * deployments on different databases must not share keys (docs/configuration.md, REDIS_KEY_PREFIX).
 */
export function redisKeyPrefixOf(databaseUrl: string | undefined, dataDir: string): string {
  return `${databaseUrl ? new URL(databaseUrl).pathname.slice(1) : path.basename(dataDir)}:`;
}
