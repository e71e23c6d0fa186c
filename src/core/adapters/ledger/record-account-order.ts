import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../../../platform/db/index.ts';
import { recordEvent } from '../../../platform/events/index.ts';
import { CoreOrdersChangedV1 } from '../../core-events.ts';
import { scheduledPaymentColumns, standingOrderColumns } from './row-mappers.ts';
import type { AccountOrderChange } from '../../ports/index.ts';

/**
 * Records an order of an account made outside the core (e.g. through payment initiation) in the
 * caller's transaction, by its id: a repeat writes the same row, a later state replaces the
 * earlier one. The OrdersChanged core event goes out with it (outbox), so readers that cache the
 * account's orders refresh them, as they do on Posted.
 */
export async function recordAccountOrder(trx: Transaction<DatabaseSchema>, change: AccountOrderChange): Promise<void> {
  let accountId: string;
  if ('standingOrder' in change) {
    const order = change.standingOrder;
    accountId = order.accountId;
    const row = standingOrderColumns(order);
    await trx.insertInto('bank_standing_orders').values({ id: order.id, account_id: accountId, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
  } else if ('scheduledPayment' in change) {
    const payment = change.scheduledPayment;
    accountId = payment.accountId;
    const row = scheduledPaymentColumns(payment);
    await trx.insertInto('bank_scheduled_payments').values({ id: payment.id, account_id: accountId, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
  } else {
    const done = change.scheduledPaymentDone;
    accountId = done.accountId;
    await trx.updateTable('bank_scheduled_payments').set({ status: done.status }).where('id', '=', done.id).where('account_id', '=', done.accountId).execute();
  }
  await recordEvent(trx, CoreOrdersChangedV1, { aggregateId: accountId, tppClientId: null, payload: { accountIds: [accountId] } });
}
