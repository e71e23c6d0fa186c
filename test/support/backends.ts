import { before, after } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '../../src/platform/db/index.ts';
import { RedisCache } from '../../src/platform/cache/index.ts';
import { porticoMigrations } from '../../src/app/portico-migrations.ts';

/**
 * The real services the suite talks to. `.ci/run` exports these; the defaults are the local
 * services of a development machine. Tests never fall back to embedded substitutes for them.
 */
export const TEST_DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

export type Dialect = 'pglite' | 'postgres';
export const DIALECTS: readonly Dialect[] = ['pglite', 'postgres'];

export interface TestDatabase extends DatabaseHandle {
  /** PostgreSQL URL of the throw-away database (postgres dialect only). */
  readonly url: string | undefined;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** URL of the same server with another database name. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_DATABASE_URL} (start it, or set DATABASE_URL): ${(error as Error).message}`, { cause: error });
  }
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database of the given dialect: in-memory PGlite, or a new database on the
 * test PostgreSQL server that is dropped on close.
 */
export async function openTestDatabase(dialect: Dialect, options: { poolSize?: number; migrate?: boolean } = {}): Promise<TestDatabase> {
  let handle: DatabaseHandle;
  let url: string | undefined;
  let name: string | undefined;
  if (dialect === 'pglite') {
    handle = await createDatabase({ pgliteDir: 'memory' });
  } else {
    name = uniqueName('portico_test');
    await adminQuery(`CREATE DATABASE ${name}`);
    url = databaseUrl(TEST_DATABASE_URL, name);
    handle = await createDatabase({ url, poolSize: options.poolSize ?? 10 });
  }
  if (options.migrate !== false) await migrateToLatest(handle.db as never, porticoMigrations);
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      if (name) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A Redis cache on the test server under a key prefix of its own (close it after use). */
export function openTestCache(prefix = 'test'): RedisCache {
  return new RedisCache(TEST_REDIS_URL, { keyPrefix: `${uniqueName(prefix)}:` });
}

/**
 * A fresh migrated database of `dialect` and a Redis cache of its own for the enclosing `describe`:
 * opened before its tests, closed after them.
 */
export function useTestDatabaseAndCache(dialect: Dialect): { readonly database: () => TestDatabase; readonly cache: RedisCache } {
  let database: TestDatabase | undefined;
  const cache = openTestCache();
  before(async () => {
    database = await openTestDatabase(dialect);
  });
  after(async () => {
    await cache.close();
    await database?.close();
  });
  return {
    database: () => {
      if (!database) throw new Error('the test database is opened before the tests run');
      return database;
    },
    cache,
  };
}
