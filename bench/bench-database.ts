import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '../src/platform/db/index.ts';
import { porticoMigrations } from '../src/app/portico-migrations.ts';

/** The PostgreSQL server benchmarks run on: DATABASE_URL, or the local development server. */
export const BENCH_DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A throw-away, migrated database on the benchmark server (at `url`); `close` drops it. */
export async function openBenchDatabase(poolSize: number): Promise<DatabaseHandle & { readonly url: string }> {
  const name = `portico_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await createDatabase({ url: url.toString(), poolSize });
  await migrateToLatest(handle.db as never, porticoMigrations);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export interface RateResult {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/** Runs `operation` from `writers` concurrent loops for `seconds`; returns the completed rate. */
export async function measureRate(writers: number, seconds: number, operation: (writer: number, i: number) => Promise<void>): Promise<RateResult> {
  let operations = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = 0; Date.now() < deadline; i++) {
        await operation(writer, i);
        operations += 1;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { operations, seconds: elapsed, perSecond: operations / elapsed };
}
