import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase } from '../support/backends.ts';

describe('PostgreSQL connection loss', () => {
  it('outage: a connection killed while its client sits between queries of a transaction fails that transaction, not the process', async () => {
    const database = await openTestDatabase('postgres', { poolSize: 4 });
    try {
      const outcome = await database.db
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
          await sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(database.db);
          // The client learns of the termination while checked out and idle (no query running).
          await sleep(300);
          await sql`SELECT 1`.execute(trx);
        })
        .then(
          () => 'committed',
          (error: Error) => error,
        );
      assert.ok(outcome instanceof Error, 'the transaction on the killed connection fails');
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
      assert.equal(rows[0]!.one, 1, 'the pool serves the next query on a new connection');
    } finally {
      await database.close();
    }
  });
});
