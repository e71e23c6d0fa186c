import { deleteInBatches, type Db } from '../db/index.ts';
import { isPublished } from './relay-position.ts';

/**
 * Deletes published outbox events that occurred before `occurredBefore`, in batches, and returns
 * how many went. Only events of transactions visible in the relay position's `done` snapshot are deleted (decision 0011e): an event
 * the relay still owes to the bus stays, however old.
 */
export function deletePublishedEvents(db: Db, occurredBefore: Date): Promise<number> {
  return deleteInBatches(async (limit) => {
    const batch = db
      .selectFrom('outbox_events')
      .select('id')
      .where(isPublished(db))
      .where('occurred_at', '<', occurredBefore)
      .limit(limit);
    return (await db.deleteFrom('outbox_events').where('id', 'in', batch).executeTakeFirst()).numDeletedRows;
  });
}
