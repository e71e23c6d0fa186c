import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { LedgerCoreBanking } from '../core/adapters/ledger/index.ts';
import { ChangeFeed, changeFeedBus, CORE_GATEWAY_PREFIX, coreGatewayRoutes, sendProblem } from '../core/gateway/index.ts';
import { coreGatewayMigrations } from '../core/gateway/migrations/index.ts';
import { createSandboxModule, DEFAULT_SANDBOX_SEED } from '../modules/sandbox/index.ts';
import { assembleMigrations, createDatabase, migrateToLatest, type DatabaseHandle } from '../platform/db/index.ts';
import { deletePublishedEvents, OutboxRelay } from '../platform/outbox/index.ts';
import { porticoMigrations } from './portico-migrations.ts';

export interface CoreGatewayServerOptions {
  /** The core's own database (PostgreSQL); without it an embedded one in `pgliteDir`. */
  readonly databaseUrl?: string | undefined;
  readonly pgliteDir?: string | 'memory';
  readonly host: string;
  readonly port: number;
  /** The gateway's server certificate and key; `clientCaPems` set: callers must present a certificate chaining to one. */
  readonly tls: { readonly certPem: string; readonly keyPem: string; readonly clientCaPems?: readonly string[] | undefined };
  /** Generate the sandbox bank on first start, with this seed. */
  readonly seedSandbox?: { readonly customers: number; readonly months: number; readonly seed: number } | undefined;
  readonly logger: Logger;
}

export interface CoreGatewayServer {
  /** The gateway's base URL, `https://host:port/core/v1`. */
  readonly url: string;
  readonly server: FastifyInstance;
  readonly database: DatabaseHandle;
  close(): Promise<void>;
}

const RELAY_POLL_MS = 50;
const PRUNE_EVERY_MS = 3600_000;

/**
 * The reference core gateway (`portico core serve`): the built-in ledger in a database of its
 * own, served over the core gateway contract (docs/core-gateway.openapi.yaml) with mutual TLS, its
 * core events published into the change feed by an outbox relay. A bank's core behind its
 * gateway looks like this to Portico; the tests run the whole platform with `CORE=remote` on it.
 */
export async function startCoreGatewayServer(options: CoreGatewayServerOptions): Promise<CoreGatewayServer> {
  const logger = options.logger;
  const database = await createDatabase({ url: options.databaseUrl, pgliteDir: options.pgliteDir ?? 'memory' });
  const closers: Array<() => Promise<void>> = [() => database.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error: unknown) => logger.error({ err: error }, 'core gateway shutdown step failed'));
  };
  try {
    const migration = await migrateToLatest(database.db as never, assembleMigrations(porticoMigrations, coreGatewayMigrations));
    if (migration.applied.length > 0) logger.info({ applied: migration.applied.length }, 'core gateway database migrated');
    if (options.seedSandbox) {
      const sandbox = createSandboxModule({ db: database.db });
      if (!(await sandbox.isSeeded())) {
        logger.info(options.seedSandbox, 'seeding the sandbox bank in the core');
        await sandbox.seed({ ...DEFAULT_SANDBOX_SEED, ...options.seedSandbox, asOf: new Date() });
      }
    }
    const core = new LedgerCoreBanking(database.db);
    const feed = new ChangeFeed(database.db);
    const relay = new OutboxRelay(database.db, changeFeedBus(database.db), logger.child({ component: 'change-feed' }), { pollMs: RELAY_POLL_MS });
    relay.start();
    closers.push(() => relay.stop());
    const prune = setInterval(() => {
      void Promise.all([feed.deleteExpired(), deletePublishedEvents(database.db, new Date(Date.now() - PRUNE_EVERY_MS))]).catch((error: unknown) => logger.warn({ err: error }, 'change feed clean-up failed'));
    }, PRUNE_EVERY_MS);
    prune.unref();
    closers.push(async () => clearInterval(prune));

    const server = Fastify({
      loggerInstance: logger.child({ component: 'core-gateway' }) as FastifyBaseLogger,
      https: {
        cert: options.tls.certPem,
        key: options.tls.keyPem,
        ...(options.tls.clientCaPems ? { ca: [...options.tls.clientCaPems], requestCert: true, rejectUnauthorized: true } : {}),
      },
      disableRequestLogging: true,
      bodyLimit: 1024 * 1024,
    });
    server.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      if (error.statusCode !== undefined && error.statusCode < 500) return sendProblem(reply, error.statusCode, 'INVALID_REQUEST', error.message);
      request.log.error({ err: error }, 'core gateway call failed');
      return sendProblem(reply, 500, 'INTERNAL');
    });
    server.setNotFoundHandler((_request, reply) => sendProblem(reply, 404, 'NOT_FOUND', 'no such path'));
    await server.register(coreGatewayRoutes, { core, feed });
    closers.push(() => server.close());
    await server.listen({ host: options.host, port: options.port });
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return { url: `https://${host}:${port}${CORE_GATEWAY_PREFIX}`, server, database, close };
  } catch (error) {
    await close();
    throw error;
  }
}
