import type { ExchangeRates, ExchangeRateTerms } from '../../core/fx/index.ts';
import type { Money } from '../../core/index.ts';
import type { DomesticStandingOrder } from './standing-order-model.ts';
import { debitOf } from './submit-international-payment.ts';

/**
 * What a standing-order instalment of `instructed` debits: the amount itself for a domestic order;
 * for an international one its conversion into the debtor account's currency at the bank's rate at
 * `at` (`debitOf` with no agreed rate: Indicative, exact, half-even), with the rate applied.
 */
export async function instalmentDebitOf(
  order: Pick<DomesticStandingOrder, 'id' | 'debitCurrency'>,
  instructed: Money,
  rates: ExchangeRates | undefined,
  at: Date,
): Promise<{ debit: Money; exchangeRate: ExchangeRateTerms | undefined }> {
  if (order.debitCurrency === null) return { debit: instructed, exchangeRate: undefined };
  if (!rates) throw new Error(`international standing order ${order.id} cannot run without exchange rates`);
  return debitOf(rates, instructed, order.debitCurrency, undefined, at);
}
