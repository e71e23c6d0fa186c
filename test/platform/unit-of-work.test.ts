import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createUnitOfWork, executorOf, transactionOf, txContextOf, type TxContext } from '../../src/platform/db/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';

async function rowCount(database: TestDatabase): Promise<number> {
  const { rows } = await sql<{ count: string | number | bigint }>`SELECT count(*) AS count FROM uow_rows`.execute(database.db);
  return Number(rows[0]!.count);
}

const insertRow = (tx: TxContext | undefined, database: TestDatabase, id: string) => sql`INSERT INTO uow_rows (id) VALUES (${id})`.execute(executorOf(database.db, tx));

for (const dialect of DIALECTS) {
  describe(`unit of work (${dialect})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(dialect, { migrate: false });
      await sql`CREATE TABLE uow_rows (id text PRIMARY KEY)`.execute(database.db);
    });
    after(() => database.close());

    it('commits the writes of every participant when the work resolves', async () => {
      const uow = createUnitOfWork(database.db);
      const result = await uow.run(async (tx) => {
        await insertRow(tx, database, 'a1');
        await insertRow(tx, database, 'a2');
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal(await rowCount(database), 2);
    });

    it('rolls back every participant when the work throws, and rethrows', async () => {
      const uow = createUnitOfWork(database.db);
      const before = await rowCount(database);
      await assert.rejects(
        uow.run(async (tx) => {
          await insertRow(tx, database, 'b1');
          throw new Error('second participant failed');
        }),
        /second participant failed/,
      );
      assert.equal(await rowCount(database), before);
    });

    it('runs a statement without a context on its own, outside any transaction', async () => {
      const before = await rowCount(database);
      await insertRow(undefined, database, 'c1');
      assert.equal(await rowCount(database), before + 1);
    });

    it('opens a context made from a transaction the caller holds to that very transaction', async () => {
      await database.db.transaction().execute(async (trx) => {
        assert.equal(transactionOf(txContextOf(trx)), trx);
      });
    });

    it('refuses a forged context', () => {
      assert.throws(() => transactionOf({} as TxContext), /not a transaction context/);
    });
  });
}
