import type { Db } from '../../platform/db/index.ts';

const BATCH_SIZE = 1000;

/**
 * Deletes idempotency keys past their 24 hours, in batches (short statements, no long locks), and
 * returns how many went. Correctness does not depend on it: an expired key is taken over by the
 * next request using it; this only reclaims space. Safe on every instance at once.
 */
export async function deleteExpiredIdempotencyKeys(db: Db, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = db
      .selectFrom('idempotency_keys')
      .select(['client_id', 'operation', 'idempotency_key'])
      .where('expires_at', '<=', now)
      .limit(BATCH_SIZE);
    const result = await db
      .deleteFrom('idempotency_keys')
      .where((eb) => eb(eb.refTuple('client_id', 'operation', 'idempotency_key'), 'in', batch.$asTuple('client_id', 'operation', 'idempotency_key')))
      // A key taken over since the batch was read is no longer expired: keep it.
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < BATCH_SIZE) return total;
  }
}
