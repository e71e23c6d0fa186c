import { recordFinishedSpan } from '../tracing/index.ts';
import path from 'node:path';
import fs from 'node:fs/promises';
import { Kysely, PostgresDialect, PGliteDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseSchema } from './schema.ts';
import { keepMarkedStatementsPrepared } from './prepared-statements.ts';
import type { Migrations } from './migrate.ts';
import { copyPgliteTemplate, PGLITE_START_PARAMS } from './pglite-template.ts';

export type Db = Kysely<DatabaseSchema>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: 'postgres' | 'pglite';
  ping(): Promise<void>;
  /** The PostgreSQL pool's connections now (metrics); undefined for the embedded database, which has one. */
  poolStats(): { readonly total: number; readonly idle: number; readonly waiting: number } | undefined;
  /**
   * A PostgreSQL connection of the pool for the duration of `work`, for what Kysely cannot send
   * (COPY FROM STDIN); undefined for the embedded database.
   */
  readonly pgConnection: PgConnectionRunner | undefined;
  close(): Promise<void>;
}

/** Runs work on one pooled PostgreSQL connection, returned to the pool after. */
export type PgConnectionRunner = <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

const INT8_OID = 20;
const parseInt8 = (value: string): bigint => BigInt(value);

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it an embedded PGlite is used. */
  readonly url?: string | undefined;
  /** Folder for PGlite's files; `memory` keeps it in memory (tests). */
  readonly pgliteDir?: string | 'memory';
  /**
   * This version's migrations. A new PGlite data dir starts as a copy of the template `npm run
   * build` made only when given them and every migration the template has is among them;
   * otherwise PGlite runs initdb.
   */
  readonly migrations?: Migrations;
  readonly poolSize?: number;
  /** Milliseconds a new PostgreSQL connection may take before the attempt fails. */
  readonly connectTimeoutMs?: number;
  /** A span per query (OpenTelemetry), when tracing is on. */
  readonly traceQueries?: boolean;
  /** PostgreSQL: keep the statements marked `prepared()` prepared on each connection (default true). */
  readonly preparedStatements?: boolean;
}

/** Opens the database: PostgreSQL through a pg pool when a URL is given, PGlite otherwise. */
export async function createDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const log = options.traceQueries ? traceQuery : undefined;
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10, options.connectTimeoutMs ?? 5000, options.preparedStatements ?? true, log);
  return openPglite(options.pgliteDir ?? 'memory', options.migrations, log);
}

function openPostgres(url: string, poolSize: number, connectTimeoutMs: number, preparedStatements: boolean, log: typeof traceQuery | undefined): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    // Money is bigint minor units: int8 must never become a JS number (DESIGN.md §2.7).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its connection (database restart, failover) must not crash the process: the
  // pool reports it for idle clients; a checked-out client sitting between queries (a transaction
  // awaiting other work, e.g. the outbox relay awaiting the bus) emits it itself, and node-postgres
  // would throw it as uncaught. Its query or transaction fails instead, and the pool drops it.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    if (preparedStatements) keepMarkedStatementsPrepared(client);
  });
  const pgConnection: PgConnectionRunner = async (work) => {
    const client = await pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };
  return handleOf(new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) }), 'postgres', () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }), pgConnection);
}

async function openPglite(dir: string, migrations: Migrations | undefined, log: typeof traceQuery | undefined): Promise<DatabaseHandle> {
  let dataDir: string | undefined;
  if (dir !== 'memory') {
    await fs.mkdir(path.dirname(dir), { recursive: true });
    // A new data dir starts from the template `npm install` made, instead of a slow initdb.
    if (migrations) await copyPgliteTemplate(dir, migrations);
    dataDir = dir;
  }
  const pglite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), startParams: [...PGLITE_START_PARAMS], parsers: { [INT8_OID]: parseInt8 } });
  return handleOf(new Kysely<DatabaseSchema>({ dialect: new PGliteDialect({ pglite }), ...(log ? { log } : {}) }), 'pglite');
}

/** A finished query as a span of the active one: its statement (no parameters, which may be personal data) and duration. */
function traceQuery(event: LogEvent): void {
  const text = event.query.sql;
  recordFinishedSpan(`db ${(text.trimStart().split(/\s/, 1)[0] ?? '').toUpperCase()}`, { 'db.system.name': 'postgresql', 'db.query.text': text.slice(0, 2000), ...(event.level === 'error' ? { error: true } : {}) }, event.queryDurationMillis);
}

/** The handle of an open database: a `SELECT 1` answers the readiness check, closing ends Kysely and its driver. */
function handleOf(db: Db, dialect: DatabaseHandle['dialect'], poolStats: DatabaseHandle['poolStats'] = () => undefined, pgConnection?: PgConnectionRunner): DatabaseHandle {
  return {
    db,
    dialect,
    poolStats,
    pgConnection,
    ping: async () => {
      await sql`SELECT 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
