import { sql, type Kysely } from 'kysely';

/**
 * Where Portico is in the remote core's change feed (`CORE=remote`): the cursor of the last change
 * recorded in the outbox, advanced in the same transaction as the changes it covers, and when the
 * feed last answered (the age of what Portico knows of the core).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('core_feed_cursors')
    .addColumn('feed', 'text', (c) => c.primaryKey())
    .addColumn('cursor', 'text', (c) => c.notNull())
    .addColumn('followed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
