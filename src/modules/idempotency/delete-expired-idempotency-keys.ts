import { deleteInBatches, type Db } from '../../platform/db/index.ts';
import type { IdempotencyRepository } from './idempotency.repository.port.ts';
import { createKyselyIdempotencyRepository } from './infra/kysely-idempotency-repository.ts';

/**
 * Deletes idempotency keys past their 24 hours, in batches (short statements, no long locks), and
 * returns how many went. Correctness does not depend on it: an expired key is taken over by the
 * next request using it; this only reclaims space. Safe on every instance at once.
 */
export function deleteExpiredKeys(repository: IdempotencyRepository, now: Date = new Date()): Promise<number> {
  return deleteInBatches((limit) => repository.deleteExpired(now, limit));
}

/** `deleteExpiredKeys` on the database. */
export function deleteExpiredIdempotencyKeys(db: Db, now: Date = new Date()): Promise<number> {
  return deleteExpiredKeys(createKyselyIdempotencyRepository(db), now);
}
