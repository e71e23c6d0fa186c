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

/**
 * See `applyOnceInTransaction`: the standalone form, for the events delivered together. Those the
 * inbox has recorded are dropped, the rest applied (in their order) and then recorded, in one
 * statement each way. Answers the events applied.
 */
export async function applyOnceStandalone<E extends { readonly id: string }>(db: Db, consumer: string, events: readonly E[], apply: (fresh: readonly E[]) => Promise<void>): Promise<readonly E[]> {
  if (events.length === 0) return [];
  const ids = events.map((event) => event.id);
  const taken = new Set((await db.selectFrom('processed_events').select('event_id').where('consumer', '=', consumer).where('event_id', 'in', ids).execute()).map((row) => row.event_id));
  const fresh: E[] = [];
  for (const event of events) {
    if (taken.has(event.id)) continue;
    taken.add(event.id);
    fresh.push(event);
  }
  if (fresh.length === 0) return [];
  await apply(fresh);
  await db
    .insertInto('processed_events')
    .values(fresh.map((event) => ({ consumer, event_id: event.id })))
    .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
    .execute();
  return fresh;
}
