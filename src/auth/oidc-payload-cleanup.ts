import type { Logger } from 'pino';
import { deleteInBatches, type Db } from '../platform/db/index.ts';

/**
 * Deletes expired oidc-provider rows in batches (short transactions, no long table locks) and
 * returns how many went. Reads already ignore expired rows, so this only reclaims space.
 */
export function deleteExpiredOidcPayloads(db: Db, now: Date = new Date()): Promise<number> {
  return deleteInBatches(async (limit) => {
    const batch = db.selectFrom('oidc_payloads').select(['kind', 'id']).where('expires_at', '<=', now).limit(limit);
    const result = await db
      .deleteFrom('oidc_payloads')
      .where((eb) => eb(eb.refTuple('kind', 'id'), 'in', batch.$asTuple('kind', 'id')))
      .executeTakeFirst();
    return result.numDeletedRows;
  });
}

export interface OidcPayloadCleanupOptions {
  readonly intervalMs: number;
  readonly logger: Logger;
}

/**
 * Runs `deleteExpiredOidcPayloads` every `intervalMs` on this instance. Every instance may run it:
 * the deletes are idempotent. Returns the function that stops it.
 */
export function startOidcPayloadCleanup(db: Db, options: OidcPayloadCleanupOptions): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = deleteExpiredOidcPayloads(db)
      .then((deleted) => {
        if (deleted > 0) options.logger.debug({ deleted }, 'expired authorisation server records deleted');
      })
      .catch((err: unknown) => options.logger.warn({ err }, 'could not delete expired authorisation server records'))
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
