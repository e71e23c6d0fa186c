import { AppError } from '../../platform/errors/index.ts';
import type { DomesticPayment, PaymentOrderType } from './payment-model.ts';
import type { PaymentsRepository } from './payments.repository.port.ts';
import { PaymentErrors } from './payments.errors.ts';

/** A payment of one kind and reach as its TPP sees it: unknown, another kind, another TPP's are the same NOT_FOUND. */
export async function getPaymentOfKindForClient(payments: PaymentsRepository, id: string, type: PaymentOrderType, clientId: string): Promise<DomesticPayment> {
  const payment = await payments.find(id, { type });
  if (!payment || payment.clientId !== clientId) throw new AppError(PaymentErrors.NOT_FOUND);
  return payment;
}

/** The payment of `type` a submission created (or a repeat of it found): it exists once its transaction committed. */
export async function findCreatedPayment(payments: PaymentsRepository, id: string, type: PaymentOrderType): Promise<DomesticPayment> {
  const payment = await payments.find(id, { type });
  if (!payment) throw new Error(`payment ${id} created under an idempotency key is gone`);
  return payment;
}
