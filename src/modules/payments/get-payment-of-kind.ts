import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { DomesticPayment, PaymentKind } from './payment-model.ts';
import { toDomesticPayment } from './payment-row.ts';
import { PaymentErrors } from './payments.errors.ts';

export async function findPaymentOfKind(db: Db, id: string, kind: PaymentKind): Promise<DomesticPayment | undefined> {
  const row = await db.selectFrom('payments').selectAll().where('id', '=', id).where('kind', '=', kind).executeTakeFirst();
  return row && toDomesticPayment(row);
}

/** A payment of one kind as its TPP sees it: unknown, another kind, another TPP's are the same NOT_FOUND. */
export async function getPaymentOfKindForClient(db: Db, id: string, kind: PaymentKind, clientId: string): Promise<DomesticPayment> {
  const payment = await findPaymentOfKind(db, id, kind);
  if (!payment || payment.clientId !== clientId) throw new AppError(PaymentErrors.NOT_FOUND);
  return payment;
}
