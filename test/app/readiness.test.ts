import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/platform/config/index.ts';
import { createPortico, type Portico } from '../../src/app/index.ts';
import { TEST_NATS_URL, TEST_REDIS_URL, openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { httpsRequest } from '../support/https-client.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { waitFor } from '../support/wait-for.ts';

const KEYSTORE_KEY = Buffer.alloc(32, 5).toString('base64');

describe('readiness on PostgreSQL, Redis and NATS JetStream', () => {
  let database: TestDatabase;
  const proxies = {
    postgres: TcpProxy.forUrl('postgres://127.0.0.1:5432', 5432),
    redis: TcpProxy.forUrl(TEST_REDIS_URL, 6379),
    nats: TcpProxy.forUrl(TEST_NATS_URL, 4222),
  };
  let portico: Portico;
  let base: string;

  before(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
    const pg = new URL(database.url!);
    proxies.postgres = new TcpProxy(pg.hostname, Number(pg.port || 5432));
    for (const proxy of Object.values(proxies)) await proxy.up();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-ready-'));
    const loaded = loadConfig(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: proxies.postgres.rewrite(database.url!),
        REDIS_URL: proxies.redis.rewrite(TEST_REDIS_URL),
        NATS_URL: proxies.nats.rewrite(TEST_NATS_URL),
        SANDBOX: 'false',
        READY_CHECK_TIMEOUT_MS: '700',
        KEY_ENCRYPTION_KEYS: KEYSTORE_KEY,
      },
      process.cwd(),
    );
    const config: Config = { ...loaded, http: { ...loaded.http, port: 0, host: '127.0.0.1' } };
    portico = await createPortico(config, { logger: silentLogger });
    const port = await portico.listen();
    base = `https://localhost:${port}`;
  });

  after(async () => {
    await portico?.close();
    for (const proxy of Object.values(proxies)) await proxy.down();
    await database?.close();
  });

  const ready = async () => {
    const response = await httpsRequest(`${base}/health/ready`, { ca: portico.tls.clientCaPems[0]! });
    return { status: response.status, body: response.json<{ status: string; checks: Record<string, { status: string }> }>() };
  };
  const statuses = (body: { checks: Record<string, { status: string }> }) =>
    Object.fromEntries(Object.entries(body.checks).map(([name, check]) => [name, check.status]));

  it('is ready when every service answers', async () => {
    const { status, body } = await ready();
    assert.equal(status, 200);
    assert.deepEqual(statuses(body), { database: 'up', cache: 'up', bus: 'up', audit: 'up', shutdown: 'up' });
    assert.equal(portico.database.dialect, 'postgres');
    assert.equal(portico.cache.kind, 'redis');
    assert.equal(portico.bus.kind, 'nats');
  });

  for (const [service, check] of [['postgres', 'database'], ['redis', 'cache'], ['nats', 'bus']] as const) {
    it(`turns unready while ${service} is unreachable, and ready again when it is back`, async () => {
      await proxies[service].down();
      const down = await ready();
      assert.equal(down.status, 503);
      assert.equal(down.body.status, 'unavailable');
      assert.equal(down.body.checks[check]!.status, 'down');
      const live = await httpsRequest(`${base}/health/live`, { ca: portico.tls.clientCaPems[0]! });
      assert.equal(live.status, 200, 'liveness does not depend on the services');
      await proxies[service].up();
      await waitFor(async () => (await ready()).status === 200, `${service} to be reported up again`, 30_000);
    });
  }

  it('on shutdown, reads not ready for SHUTDOWN_DELAY_MS while it still serves, then stops accepting', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-drain-'));
    // The same database as the first instance: the same keystore key opens its signing keys.
    const loaded = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: database.url!, SANDBOX: 'false', SHUTDOWN_DELAY_MS: '1500', KEY_ENCRYPTION_KEYS: KEYSTORE_KEY }, process.cwd());
    const draining = await createPortico({ ...loaded, http: { ...loaded.http, port: 0, host: '127.0.0.1' } }, { logger: silentLogger });
    const port = await draining.listen();
    const ca = draining.tls.clientCaPems[0]!;
    const get = (pathname: string) => httpsRequest(`https://localhost:${port}${pathname}`, { ca });
    assert.equal((await get('/health/ready')).status, 200);
    const closed = draining.close();
    try {
      let during = await get('/health/ready');
      await waitFor(async () => (during = await get('/health/ready')).status === 503, 'readiness to turn 503', 1400);
      assert.equal(during.json<{ checks: Record<string, { status: string; error?: string }> }>().checks['shutdown']?.status, 'down');
      assert.equal((await get('/health/live')).status, 200, 'requests are still served while the load balancer reacts');
    } finally {
      await closed;
    }
    await assert.rejects(get('/health/live'), /ECONNREFUSED/);
    await fs.rm(dataDir, { recursive: true, force: true });
  });
});
