import type { Selectable } from 'kysely';
import { executorOf, transactionOf, type Db } from '../../../platform/db/index.ts';
import type { SigningBasket, SigningBasketStatus } from '../signing-basket.ts';
import type { SigningBasketsRepository } from '../signing-baskets.repository.port.ts';
import type { SigningBasketsTable, SigningBasketsTables } from './signing-baskets.tables.ts';

const fromRow = (row: Selectable<SigningBasketsTable>, consentIds: readonly string[]): SigningBasket => ({
  id: row.id,
  clientId: row.client_id,
  consentIds,
  status: row.status as SigningBasketStatus,
  createdAt: new Date(row.created_at),
  statusUpdatedAt: new Date(row.status_updated_at),
});

export function createKyselySigningBasketsRepository(db: Db): SigningBasketsRepository {
  return {
    async insert(tx, basket) {
      const trx = transactionOf<SigningBasketsTables>(tx);
      await trx
        .insertInto('signing_baskets')
        .values({ id: basket.id, client_id: basket.clientId, status: basket.status, created_at: basket.createdAt, status_updated_at: basket.statusUpdatedAt })
        .execute();
      // A member pending in another basket conflicts on the partial unique index: it is not inserted, and the caller rolls back.
      const inserted = await trx
        .insertInto('signing_basket_members')
        .values(basket.consentIds.map((consentId, position) => ({ basket_id: basket.id, consent_id: consentId, position, pending: true })))
        .onConflict((oc) => oc.doNothing())
        .returning('consent_id')
        .execute();
      return inserted.length === basket.consentIds.length;
    },
    async find(id, tx) {
      const executor = executorOf<SigningBasketsTables>(db, tx);
      const row = await executor.selectFrom('signing_baskets').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const members = await executor.selectFrom('signing_basket_members').select('consent_id').where('basket_id', '=', id).orderBy('position').execute();
      return fromRow(row, members.map((member) => member.consent_id));
    },
    async pendingBasketOf(consentId) {
      const row = await executorOf<SigningBasketsTables>(db, undefined).selectFrom('signing_basket_members').select('basket_id').where('consent_id', '=', consentId).where('pending', '=', true).executeTakeFirst();
      return row?.basket_id;
    },
    async close(tx, id, status, now) {
      const trx = transactionOf<SigningBasketsTables>(tx);
      const row = await trx
        .updateTable('signing_baskets')
        .set({ status, status_updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'awaiting-authorisation')
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      const members = await trx.updateTable('signing_basket_members').set({ pending: false }).where('basket_id', '=', id).returning(['consent_id', 'position']).execute();
      return fromRow(row, members.sort((a, b) => a.position - b.position).map((member) => member.consent_id));
    },
  };
}
