import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { DomesticPayment } from './payment-model.ts';
import { toDomesticPayment } from './payment-row.ts';
import { PaymentErrors } from './payments.errors.ts';
import type { PaymentReach } from './payment-model.ts';
import type { DomesticStandingOrder } from './standing-order-model.ts';
import { toDomesticStandingOrder } from './standing-order-row.ts';

export async function findDomesticStandingOrder(db: Db, id: string): Promise<DomesticStandingOrder | undefined> {
  const row = await db.selectFrom('standing_orders').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDomesticStandingOrder(row);
}

/** The standing order a submission created (or a repeat of it found): it exists once its transaction committed. */
export async function findCreatedStandingOrder(db: Db, id: string): Promise<DomesticStandingOrder> {
  const order = await findDomesticStandingOrder(db, id);
  if (!order) throw new Error(`standing order ${id} created under an idempotency key is gone`);
  return order;
}

/** A standing order of `reach` as its TPP sees it: an unknown id, another reach and another TPP's order are the same NOT_FOUND. */
export async function getDomesticStandingOrderForClient(db: Db, id: string, clientId: string, reach: PaymentReach = 'domestic'): Promise<DomesticStandingOrder> {
  const order = await findDomesticStandingOrder(db, id);
  if (!order || order.clientId !== clientId || order.reach !== reach) throw new AppError(PaymentErrors.NOT_FOUND);
  return order;
}

export interface StandingOrderInstalment {
  readonly number: number;
  readonly dueAt: Date;
  readonly payment: DomesticPayment;
}

/** The instalments run so far, in order, each with its payment. */
export async function listStandingOrderInstalments(db: Db, standingOrderId: string): Promise<StandingOrderInstalment[]> {
  const rows = await db
    .selectFrom('standing_order_instalments as i')
    .innerJoin('payments as p', 'p.id', 'i.payment_id')
    .selectAll('p')
    .select(['i.instalment_number', 'i.due_at'])
    .where('i.standing_order_id', '=', standingOrderId)
    .orderBy('i.instalment_number')
    .execute();
  return rows.map((row) => ({ number: row.instalment_number, dueAt: row.due_at, payment: toDomesticPayment(row) }));
}
