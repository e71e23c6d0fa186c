import { AppError } from '../../platform/errors/index.ts';
import { assertSameRate } from './assert-same-rate.ts';
import { parseRate, type ExactRate } from './exact-rate.ts';
import type { ExchangeRateRequest, ExchangeRateTerms } from './exchange-rate-terms.ts';
import type { ExchangeRates } from './exchange-rates.port.ts';
import { FxErrors } from './fx.errors.ts';

/**
 * Settles the exchange rate of an international payment consent at `at` (its creation), per OB
 * v4.0 `ExchangeRateInformation`: `Agreed` checks the TPP's contract and rate against what the
 * rate source issued; `Actual` quotes and guarantees the bank's rate until the quote expires;
 * `Indicative` quotes the bank's rate for information only. The terms go into the consent and,
 * as OBExchangeRate2, into its response.
 */
export async function agreeExchangeRate(rates: ExchangeRates, request: ExchangeRateRequest, at: Date): Promise<ExchangeRateTerms> {
  const { rateType, unitCurrency, targetCurrency } = request;
  if (unitCurrency === targetCurrency) throw new AppError(FxErrors.SAME_CURRENCY);
  if (rateType === 'Agreed') {
    if (request.exchangeRate === undefined || request.contractIdentification === undefined) throw new AppError(FxErrors.RATE_MISSING);
    let rate: ExactRate;
    try {
      rate = parseRate(request.exchangeRate);
    } catch (error) {
      throw new AppError(FxErrors.RATE_INVALID, { cause: error });
    }
    const contract = await rates.findContract(request.contractIdentification);
    if (!contract) throw new AppError(FxErrors.CONTRACT_UNKNOWN);
    assertSameRate(contract, { unitCurrency, targetCurrency, rate });
    if (at.getTime() >= contract.expiresAt.getTime()) throw new AppError(FxErrors.CONTRACT_EXPIRED);
    return { rateType, unitCurrency, targetCurrency, rate: contract.rate, contractIdentification: contract.contractIdentification, expiresAt: contract.expiresAt };
  }
  // OB: with Actual or Indicative the bank sets the rate; a TPP-supplied one is refused, not ignored.
  if (request.exchangeRate !== undefined || request.contractIdentification !== undefined) throw new AppError(FxErrors.RATE_NOT_EXPECTED);
  const quote = await rates.quote(unitCurrency, targetCurrency, at);
  if (rateType === 'Actual') {
    return { rateType, unitCurrency, targetCurrency, rate: quote.rate, contractIdentification: quote.contractIdentification, expiresAt: quote.expiresAt };
  }
  return { rateType, unitCurrency, targetCurrency, rate: quote.rate };
}
