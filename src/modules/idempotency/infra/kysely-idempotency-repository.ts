import { executorOf, ownTables, prepared, transactionOf, type Db } from '../../../platform/db/index.ts';
import type { IdempotencyRepository, IdempotencyScope } from '../idempotency.repository.port.ts';
import type { IdempotencyTables } from './idempotency.tables.ts';

/** The idempotency claims in the `idempotency_keys` table, keyed by client, operation and key. */
export function createKyselyIdempotencyRepository(database: Db): IdempotencyRepository {
  const db = ownTables<IdempotencyTables>(database);
  const keyOf = (scope: IdempotencyScope) => ({ client_id: scope.clientId, operation: scope.operation, idempotency_key: scope.key });
  return {
    async claim(tx, scope, requestHash, now, expiresAt, resourceId) {
      // An unexpired claim is left as it is (the WHERE), but locked until this transaction ends.
      const claimed = await transactionOf<IdempotencyTables>(tx)
        .insertInto('idempotency_keys')
        .values({ ...keyOf(scope), request_hash: requestHash, resource_id: resourceId ?? null, created_at: now, expires_at: expiresAt })
        .onConflict((oc) =>
          oc
            .columns(['client_id', 'operation', 'idempotency_key'])
            .doUpdateSet((eb) => ({
              request_hash: eb.ref('excluded.request_hash'),
              resource_id: eb.ref('excluded.resource_id'),
              created_at: eb.ref('excluded.created_at'),
              expires_at: eb.ref('excluded.expires_at'),
            }))
            .where('idempotency_keys.expires_at', '<=', now),
        )
        .returning('client_id')
        .modifyEnd(prepared())
        .executeTakeFirst();
      return claimed !== undefined;
    },

    async recordResource(tx, scope, resourceId) {
      await transactionOf<IdempotencyTables>(tx)
        .updateTable('idempotency_keys')
        .set({ resource_id: resourceId })
        .where('client_id', '=', scope.clientId)
        .where('operation', '=', scope.operation)
        .where('idempotency_key', '=', scope.key)
        .execute();
    },

    async find(tx, scope) {
      const row = await executorOf<IdempotencyTables>(database, tx)
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'resource_id'])
        .where('client_id', '=', scope.clientId)
        .where('operation', '=', scope.operation)
        .where('idempotency_key', '=', scope.key)
        .executeTakeFirst();
      return row && { requestHash: row.request_hash, resourceId: row.resource_id };
    },

    async deleteExpired(now, limit) {
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
      return Number(result.numDeletedRows);
    },
  };
}
