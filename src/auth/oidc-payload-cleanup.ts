import { deleteInBatches, ownTables, type Db } from '../platform/db/index.ts';
import type { AuthTables } from './infra/auth.tables.ts';

/**
 * Deletes expired oidc-provider rows in batches (short transactions, no long table locks) and
 * returns how many went. Reads already ignore expired rows, so this only reclaims space.
 */
export function deleteExpiredOidcPayloads(database: Db, now: Date = new Date()): Promise<number> {
  const db = ownTables<AuthTables>(database);
  return deleteInBatches(async (limit) => {
    const batch = db.selectFrom('oidc_payloads').select(['kind', 'id']).where('expires_at', '<=', now).limit(limit);
    const result = await db
      .deleteFrom('oidc_payloads')
      .where((eb) => eb(eb.refTuple('kind', 'id'), 'in', batch.$asTuple('kind', 'id')))
      .executeTakeFirst();
    return result.numDeletedRows;
  });
}
