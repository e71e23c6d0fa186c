import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../../../platform/db/index.ts';
import { recordEvent } from '../../../platform/events/index.ts';
import { CoreOrdersChangedV1 } from '../../core-events.ts';
import { payeeColumns } from './row-mappers.ts';
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
    const o = change.standingOrder;
    accountId = o.accountId;
    const row = {
      frequency: o.frequency,
      reference: o.reference,
      first_payment_at: o.firstPaymentAt,
      next_payment_at: o.nextPaymentAt,
      last_payment_at: o.lastPaymentAt,
      final_payment_at: o.finalPaymentAt,
      amount_minor: o.amount.amountMinor,
      currency: o.amount.currency,
      ...payeeColumns(o),
      status: o.status,
      first_amount_minor: o.firstAmount?.amountMinor ?? null,
      next_amount_minor: o.nextAmount?.amountMinor ?? null,
      last_amount_minor: o.lastAmount?.amountMinor ?? null,
      final_amount_minor: o.finalAmount?.amountMinor ?? null,
    };
    await trx
      .insertInto('bank_standing_orders')
      .values({ id: o.id, account_id: o.accountId, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  } else if ('scheduledPayment' in change) {
    const p = change.scheduledPayment;
    accountId = p.accountId;
    const row = {
      scheduled_at: p.scheduledAt,
      scheduled_type: p.scheduledType,
      reference: p.reference,
      amount_minor: p.amount.amountMinor,
      currency: p.amount.currency,
      ...payeeColumns(p),
      status: 'Scheduled' as const,
    };
    await trx
      .insertInto('bank_scheduled_payments')
      .values({ id: p.id, account_id: p.accountId, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  } else {
    const done = change.scheduledPaymentDone;
    accountId = done.accountId;
    await trx.updateTable('bank_scheduled_payments').set({ status: done.status }).where('id', '=', done.id).where('account_id', '=', done.accountId).execute();
  }
  await recordEvent(trx, CoreOrdersChangedV1, { aggregateId: accountId, tppClientId: null, payload: { accountIds: [accountId] } });
}
