import { sql, type Kysely } from 'kysely';

/**
 * The reference core gateway's change feed (`portico core serve`): the core's events in commit
 * order. `xid` is the writing transaction's id; readers only see rows of transactions that have
 * ended, in (xid, seq) order, so a row committed late never sorts before a cursor already handed out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('core_change_feed')
    .addColumn('seq', 'bigserial', (c) => c.notNull())
    .addColumn('xid', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('change', 'jsonb', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('core_change_feed_order').on('core_change_feed').columns(['xid', 'seq']).execute();
  await db.schema.createIndex('core_change_feed_recorded_at').on('core_change_feed').column('recorded_at').execute();
}
