import { ownTables, type Db } from '../../../platform/db/index.ts';
import type { AccountProjection } from '../account-projection.ts';
import type { AccountReadModelRepository } from '../accounts.repository.port.ts';
import { decodeCached, encodeCached } from '../read-cache-codec.ts';
import type { AccountsTables } from './accounts.tables.ts';

/**
 * `account_read_model`: a refresh takes a ticket before it reads the core and writes only over an
 * older ticket's projection. Every change of the core is followed by a refresh that takes its
 * ticket after the change committed, so whichever refresh stores last read the core after it: the
 * row converges on the core without a lock held while the core is read.
 */
export function createKyselyAccountReadModelRepository(database: Db): AccountReadModelRepository {
  const db = ownTables<AccountsTables>(database);
  return {
    async find(accountId) {
      const row = await db.selectFrom('account_read_model').select('projection').where('account_id', '=', accountId).executeTakeFirst();
      return row?.projection ? decodeCached<AccountProjection>(row.projection) : undefined;
    },
    async refresh(accountId, project) {
      const { requested: ticket } = await db
        .insertInto('account_read_model')
        .values({ account_id: accountId, requested: 1n })
        .onConflict((oc) => oc.column('account_id').doUpdateSet((eb) => ({ requested: eb('account_read_model.requested', '+', 1n) })))
        .returning('requested')
        .executeTakeFirstOrThrow();
      const projection = await project();
      await db
        .updateTable('account_read_model')
        .set({ written: ticket, projection: encodeCached(projection), projected_at: new Date() })
        .where('account_id', '=', accountId)
        .where('written', '<', ticket)
        .execute();
    },
    async storeIfAbsent(accountId, projection) {
      await db
        .insertInto('account_read_model')
        .values({ account_id: accountId, projection: encodeCached(projection), projected_at: new Date() })
        .onConflict((oc) => oc.column('account_id').doNothing())
        .execute();
    },
  };
}
