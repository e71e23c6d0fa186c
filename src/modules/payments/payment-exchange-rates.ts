import type { ExchangeRateTerms } from '../../core/fx/index.ts';
import type { PaymentsRepository } from './payments.repository.port.ts';

/**
 * The rate of a payment as its resource states it: the rate it applied, else (an international
 * scheduled payment not yet executed) the terms its consent settled.
 */
export async function exchangeRateOfPayment(payments: PaymentsRepository, payment: { readonly id: string; readonly consentId: string }): Promise<ExchangeRateTerms | undefined> {
  return (await payments.findExchangeRate(payment.id)) ?? (await payments.findExchangeRate(payment.consentId));
}
