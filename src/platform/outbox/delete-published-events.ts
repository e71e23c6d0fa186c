import { deleteInBatches, type Db } from '../db/index.ts';

/**
 * Deletes outbox events the bus acknowledged before `publishedBefore`, in batches, and returns how
 * many went. Unpublished events are never deleted: the relay still owes them to the bus.
 */
export function deletePublishedEvents(db: Db, publishedBefore: Date): Promise<number> {
  return deleteInBatches(async (limit) => {
    const batch = db.selectFrom('outbox_events').select('id').where('published_at', '<', publishedBefore).limit(limit);
    return (await db.deleteFrom('outbox_events').where('id', 'in', batch).executeTakeFirst()).numDeletedRows;
  });
}
