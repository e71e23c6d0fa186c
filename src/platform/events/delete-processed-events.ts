import { deleteInBatches, type Db } from '../db/index.ts';

/**
 * Deletes the consumers' inbox records (`processed_events`) made before `processedBefore`, in
 * batches, and returns how many went. The bus redelivers an event only until it is acknowledged,
 * within seconds of its record; a retention of days leaves the inbox every record it can meet again.
 */
export function deleteProcessedEvents(db: Db, processedBefore: Date): Promise<number> {
  return deleteInBatches(async (limit) => {
    const batch = db.selectFrom('processed_events').select(['consumer', 'event_id']).where('processed_at', '<', processedBefore).limit(limit);
    return (
      await db
        .deleteFrom('processed_events')
        .where((eb) => eb(eb.refTuple('consumer', 'event_id'), 'in', batch.$asTuple('consumer', 'event_id')))
        .executeTakeFirst()
    ).numDeletedRows;
  });
}
