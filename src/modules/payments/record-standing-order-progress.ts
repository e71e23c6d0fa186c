import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../../platform/db/index.ts';
import { recordPaymentOrderOnAccount } from './record-payment-order-on-account.ts';
import type { DomesticStandingOrder } from './standing-order-model.ts';
import { instalmentAmount, nextInstalmentAt } from './standing-order-plan.ts';

/** The amount instalment `n`, due at `dueAt`, pays (the final amount when it is the last). */
const amountOfInstalment = (order: DomesticStandingOrder, n: number, dueAt: Date) => instalmentAmount(order.schedule, n, nextInstalmentAt(order.schedule, n, dueAt) === undefined);

/**
 * The payer's account's view of a standing order (`recordPaymentOrderOnAccount`), in the
 * transaction that sets it up or runs an instalment: the latest instalment that was not refused is
 * its last payment, instalment `next.n` at `next.at` its next (null after the last, or once a
 * refused first instalment stopped the order).
 */
export async function recordStandingOrderProgress(trx: Transaction<DatabaseSchema>, order: DomesticStandingOrder, next: { readonly n: number; readonly at: Date } | null, now: Date): Promise<void> {
  const paid = await trx
    .selectFrom('standing_order_instalments as i')
    .innerJoin('payments as p', 'p.id', 'i.payment_id')
    .select(['i.instalment_number', 'i.due_at'])
    .where('i.standing_order_id', '=', order.id)
    .where('p.status', '!=', 'Rejected')
    .orderBy('i.instalment_number', 'desc')
    .limit(1)
    .executeTakeFirst();
  await recordPaymentOrderOnAccount(trx, {
    type: 'standing-order',
    ...order,
    lastPayment: paid ? { at: paid.due_at, amountMinor: amountOfInstalment(order, paid.instalment_number, paid.due_at) } : null,
    nextPayment: next ? { at: next.at, amountMinor: amountOfInstalment(order, next.n, next.at) } : null,
  }, now);
}
