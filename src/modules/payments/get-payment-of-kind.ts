import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { kindColumnOf } from './payment-kind-column.ts';
import type { DomesticPayment, PaymentOrderType } from './payment-model.ts';
import { toDomesticPayment } from './payment-row.ts';
import { PaymentErrors } from './payments.errors.ts';

export async function findPaymentOfKind(db: Db, id: string, type: PaymentOrderType): Promise<DomesticPayment | undefined> {
  const row = await db.selectFrom('payments').selectAll().where('id', '=', id).where('kind', '=', kindColumnOf(type)).executeTakeFirst();
  return row && toDomesticPayment(row);
}

/** A payment of one kind and reach as its TPP sees it: unknown, another kind, another TPP's are the same NOT_FOUND. */
export async function getPaymentOfKindForClient(db: Db, id: string, type: PaymentOrderType, clientId: string): Promise<DomesticPayment> {
  const payment = await findPaymentOfKind(db, id, type);
  if (!payment || payment.clientId !== clientId) throw new AppError(PaymentErrors.NOT_FOUND);
  return payment;
}
