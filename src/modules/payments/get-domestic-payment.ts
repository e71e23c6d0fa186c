import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { DomesticPayment } from './payment-model.ts';
import { toDomesticPayment } from './payment-row.ts';
import { PaymentErrors } from './payments.errors.ts';

export async function findDomesticPayment(db: Db, id: string): Promise<DomesticPayment | undefined> {
  const row = await db.selectFrom('payments').selectAll().where('id', '=', id).where('kind', '=', 'domestic-payment').executeTakeFirst();
  return row && toDomesticPayment(row);
}

/** A payment as its TPP sees it: an unknown id and another TPP's payment are the same NOT_FOUND. */
export async function getDomesticPaymentForClient(db: Db, id: string, clientId: string): Promise<DomesticPayment> {
  const payment = await findDomesticPayment(db, id);
  if (!payment || payment.clientId !== clientId) throw new AppError(PaymentErrors.NOT_FOUND);
  return payment;
}
