import { AppError } from '../../platform/errors/index.ts';
import type { PaymentReach } from './payment-model.ts';
import { PaymentErrors } from './payments.errors.ts';
import type { DomesticStandingOrder } from './standing-order-model.ts';
import type { StandingOrdersRepository } from './standing-orders.repository.port.ts';

/** The standing order a submission created (or a repeat of it found): it exists once its transaction committed. */
export async function findCreatedStandingOrder(standingOrders: StandingOrdersRepository, id: string): Promise<DomesticStandingOrder> {
  const order = await standingOrders.find(id);
  if (!order) throw new Error(`standing order ${id} created under an idempotency key is gone`);
  return order;
}

/** A standing order of `reach` as its TPP sees it: an unknown id, another reach and another TPP's order are the same NOT_FOUND. */
export async function getDomesticStandingOrderForClient(
  standingOrders: StandingOrdersRepository,
  id: string,
  clientId: string,
  reach: PaymentReach = 'domestic',
): Promise<DomesticStandingOrder> {
  const order = await standingOrders.find(id);
  if (!order || order.clientId !== clientId || order.reach !== reach) throw new AppError(PaymentErrors.NOT_FOUND);
  return order;
}
