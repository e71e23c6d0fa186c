import { deleteInBatches, type Db } from '../db/index.ts';

/**
 * Deletes done and failed jobs that finished before `finishedBefore`, in batches, and returns how
 * many went. Their dedupe keys are free again then, so keep them longer than anything might
 * schedule the same key again.
 */
export function deleteFinishedJobs(db: Db, finishedBefore: Date): Promise<number> {
  return deleteInBatches(async (limit) => {
    const batch = db.selectFrom('scheduled_jobs').select('id').where('status', 'in', ['done', 'failed']).where('finished_at', '<', finishedBefore).limit(limit);
    return (await db.deleteFrom('scheduled_jobs').where('id', 'in', batch).executeTakeFirst()).numDeletedRows;
  });
}
