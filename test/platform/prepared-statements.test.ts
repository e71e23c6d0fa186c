import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createDatabase, prepared } from '../../src/platform/db/index.ts';
import { openTestDatabase } from '../support/backends.ts';

/** The statements the (single) connection keeps prepared, by their text. */
const preparedTexts = async (db: Kysely<never>) => (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db)).rows.map((row) => row.statement);

describe('statements kept prepared (decision 0009f)', () => {
  it('a statement marked prepared() is parsed once per connection and kept; an unmarked one is not', async () => {
    const database = await openTestDatabase('postgres', { poolSize: 1, migrate: false });
    try {
      const db = database.db as unknown as Kysely<never>;
      await sql`CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)`.execute(db);
      for (let id = 1; id <= 3; id++) await sql`INSERT INTO notes (id, body) VALUES (${id}, ${`note ${id}`}) RETURNING id ${prepared()}`.execute(db);
      await sql`SELECT body FROM notes WHERE id = ${2}`.execute(db);
      const kept = await preparedTexts(db);
      assert.deepEqual(kept, ['INSERT INTO notes (id, body) VALUES ($1, $2) RETURNING id /* portico:prepared */'], 'one prepared statement for the three inserts; none for the unmarked select');
      const { rows } = await sql<{ body: string }>`SELECT body FROM notes WHERE id = ${3} ${prepared()}`.execute(db);
      assert.deepEqual(rows, [{ body: 'note 3' }]);
      // Its result columns named one by one, a kept statement survives a migration adding a column.
      await sql`ALTER TABLE notes ADD COLUMN extra text`.execute(db);
      const after = await sql<{ body: string }>`SELECT body FROM notes WHERE id = ${3} ${prepared()}`.execute(db);
      assert.deepEqual(after.rows, [{ body: 'note 3' }]);
    } finally {
      await database.close();
    }
  });

  it('a marked statement answering * is refused at its first use: a migration adding a column would break its kept plan', async () => {
    const database = await openTestDatabase('postgres', { poolSize: 1, migrate: false });
    try {
      const db = database.db as unknown as Kysely<never>;
      await sql`CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)`.execute(db);
      await assert.rejects(sql`SELECT * FROM notes WHERE id = ${1} ${prepared()}`.execute(db), /must name its result columns/);
      await assert.rejects(sql`UPDATE notes SET body = ${'x'} WHERE id = ${1} RETURNING notes.* ${prepared()}`.execute(db), /must name its result columns/);
      assert.deepEqual(await preparedTexts(db), []);
    } finally {
      await database.close();
    }
  });

  it('with preparedStatements off (a pooler that cannot keep them), marked statements are sent unnamed', async () => {
    const database = await openTestDatabase('postgres', { poolSize: 1, migrate: false });
    const unprepared = await createDatabase({ url: database.url, poolSize: 1, preparedStatements: false });
    try {
      const db = unprepared.db as unknown as Kysely<never>;
      const { rows } = await sql<{ answer: number }>`SELECT ${41}::int + 1 AS answer ${prepared()}`.execute(db);
      assert.deepEqual(rows, [{ answer: 42 }]);
      assert.deepEqual(await preparedTexts(db), []);
    } finally {
      await unprepared.close();
      await database.close();
    }
  });

  it('on the embedded database the marker is only a comment', async () => {
    const database = await openTestDatabase('pglite', { migrate: false });
    try {
      const { rows } = await sql<{ answer: number }>`SELECT ${41}::int + 1 AS answer ${prepared()}`.execute(database.db as unknown as Kysely<never>);
      assert.deepEqual(rows, [{ answer: 42 }]);
    } finally {
      await database.close();
    }
  });
});
