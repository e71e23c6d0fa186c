import { AppError } from '../../platform/errors/index.ts';
import { assertSameRate } from './assert-same-rate.ts';
import { parseRate } from './exact-rate.ts';
import type { ExchangeRateTerms } from './exchange-rate-terms.ts';
import type { ExchangeRates } from './exchange-rates.port.ts';
import { FxErrors } from './fx.errors.ts';

/**
 * The rate to apply when a payment order is accepted at `at`, given the terms its consent
 * settled. `Actual` and `Agreed` apply the consent's rate if its contract still stands and has
 * not expired (OB: "Actual rate will be applied on the date of Payment Order setup"), else the
 * order is refused; `Indicative` applies the bank's rate at `at`. For an international scheduled
 * payment `at` is therefore the order's setup for Actual/Agreed, and the execution date for
 * Indicative. Convert with `convertAmount(amount, terms, currency)`.
 */
export async function rateForExecution(rates: ExchangeRates, terms: ExchangeRateTerms, at: Date): Promise<ExchangeRateTerms> {
  const { unitCurrency, targetCurrency } = terms;
  if (terms.rateType === 'Indicative') {
    const quote = await rates.quote(unitCurrency, targetCurrency, at);
    return { rateType: 'Indicative', unitCurrency, targetCurrency, rate: quote.rate, contractIdentification: quote.contractIdentification };
  }
  const contract = await rates.findContract(terms.contractIdentification);
  if (!contract) throw new AppError(FxErrors.CONTRACT_UNKNOWN);
  assertSameRate(contract, { unitCurrency, targetCurrency, rate: parseRate(terms.rate) });
  if (at.getTime() >= contract.expiresAt.getTime()) throw new AppError(FxErrors.CONTRACT_EXPIRED);
  return terms;
}
