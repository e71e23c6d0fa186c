import type { Db } from '../../platform/db/index.ts';
import type { IdempotencyRepository } from './idempotency.repository.port.ts';
import { createKyselyIdempotencyRepository } from './infra/kysely-idempotency-repository.ts';

const BATCH_SIZE = 1000;

/**
 * Deletes idempotency keys past their 24 hours, in batches (short statements, no long locks), and
 * returns how many went. Correctness does not depend on it: an expired key is taken over by the
 * next request using it; this only reclaims space. Safe on every instance at once.
 */
export async function deleteExpiredKeys(repository: IdempotencyRepository, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await repository.deleteExpired(now, BATCH_SIZE);
    total += deleted;
    if (deleted < BATCH_SIZE) return total;
  }
}

/** `deleteExpiredKeys` on the database. */
export function deleteExpiredIdempotencyKeys(db: Db, now: Date = new Date()): Promise<number> {
  return deleteExpiredKeys(createKyselyIdempotencyRepository(db), now);
}
