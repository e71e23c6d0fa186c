import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { createAuditModule } from '../../../src/modules/audit/index.ts';
import { openTestDatabase } from '../../support/backends.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import { testCheckpointSigner } from '../../support/audit-signer.ts';

describe('audit trail export over a long range (PostgreSQL)', () => {
  it('reads each page through the time-order index: a page costs a page, not a scan and sort of the rest of the range', async () => {
    const database = await openTestDatabase('postgres');
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const sent: CompiledQuery[] = [];
    const logged = new Kysely<never>({ dialect: new PostgresDialect({ pool }), log: (event) => void sent.push(event.query) });
    try {
      // Sixty thousand calls over a minute (a bank's trail at 1,000 a second), written as the trail writes them.
      await sql`INSERT INTO audit_records (partition, seq, at, kind, action, outcome, client_id, details, prev_hash, hash)
        SELECT '2026-12-06', g, timestamptz '2026-12-06 10:00:00+00' + g * interval '1 millisecond', 'api-call', 'GET /accounts', '200', 'client-' || (g % 7), '{}', md5((g - 1)::text), md5(g::text)
        FROM generate_series(1, 60000) AS g`.execute(database.db);
      await sql`ANALYZE audit_records`.execute(database.db);
      const audit = createAuditModule({ db: logged as never, signer: await testCheckpointSigner(), settings: { maxBuffered: 10, batchSize: 10, flushIntervalMs: 10_000, overflow: 'refuse', retentionDays: 30 }, logger: silentLogger });
      let read = 0;
      for await (const _record of audit.export({ from: new Date('2026-12-06T10:00:20Z'), to: new Date('2026-12-06T10:00:50Z') })) read += 1;
      assert.equal(read, 30_000);
      const pages = sent.filter((query) => query.sql.includes('from "audit_records"'));
      assert.ok(pages.length >= 30, `${pages.length} pages`);
      // A page well inside the range, as PostgreSQL plans it: by the index, stopping at the page's end.
      const middle = pages[Math.floor(pages.length / 2)]!;
      const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${sql.raw(middle.sql.replace(/\$(\d+)/g, (_match, n: string) => literalOf(middle.parameters[Number(n) - 1])))}`.execute(database.db);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      assert.match(plan, /Index Scan using audit_records_time_order/, plan);
      assert.doesNotMatch(plan, /Sort|Seq Scan/, plan);
    } finally {
      await logged.destroy();
      await database.close();
    }
  });
});

/** A parameter as an SQL literal, for EXPLAIN of a logged statement (test data only: dates, numbers, plain text). */
function literalOf(value: unknown): string {
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}
