import { deleteInBatches, type Db } from '../../platform/db/index.ts';

/**
 * Deletes idempotency keys past their 24 hours, in batches (short statements, no long locks), and
 * returns how many went. Correctness does not depend on it: an expired key is taken over by the
 * next request using it; this only reclaims space. Safe on every instance at once.
 */
export function deleteExpiredIdempotencyKeys(db: Db, now: Date = new Date()): Promise<number> {
  return deleteInBatches(async (limit) => {
    const batch = db
      .selectFrom('idempotency_keys')
      .select(['client_id', 'operation', 'idempotency_key'])
      .where('expires_at', '<=', now)
      .limit(limit);
    const result = await db
      .deleteFrom('idempotency_keys')
      .where((eb) => eb(eb.refTuple('client_id', 'operation', 'idempotency_key'), 'in', batch.$asTuple('client_id', 'operation', 'idempotency_key')))
      // A key taken over since the batch was read is no longer expired: keep it.
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return result.numDeletedRows;
  });
}
