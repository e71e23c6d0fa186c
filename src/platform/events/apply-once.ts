import type { Transaction } from 'kysely';
import type { Db, DatabaseSchema } from '../db/index.ts';

/**
 * The consumers' inbox (`processed_events`). A transactional consumer applies an event and records
 * its id in one transaction: of two deliveries, even at once from two processes, the second waits
 * on the first's row and then applies nothing — exactly once. A standalone consumer (its effect is
 * not in this database: a cache, the authorisation server's own store) applies an event it has not
 * recorded and records it afterwards — at least once, and idempotent effects are required; a
 * redelivery after the record is dropped.
 */
export async function applyOnceInTransaction(db: Db, consumer: string, eventId: string, apply: (trx: Transaction<DatabaseSchema>) => Promise<void>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('processed_events')
      .values({ consumer, event_id: eventId })
      .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!claimed) return false;
    await apply(trx);
    return true;
  });
}

/** See `applyOnceInTransaction`: the standalone form. */
export async function applyOnceStandalone(db: Db, consumer: string, eventId: string, apply: () => Promise<void>): Promise<boolean> {
  const seen = await db.selectFrom('processed_events').select('event_id').where('consumer', '=', consumer).where('event_id', '=', eventId).executeTakeFirst();
  if (seen) return false;
  await apply();
  await db.insertInto('processed_events').values({ consumer, event_id: eventId }).onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing()).execute();
  return true;
}
