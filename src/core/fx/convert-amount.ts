import { currencyExponent, type Money } from '../money.ts';
import { divideHalfEven, invertRate, parseRate } from './exact-rate.ts';
import type { ExchangeRate } from './exchange-rates.port.ts';

/**
 * Converts minor units of one currency into minor units of another at `rate`, in either
 * direction of the rate (unit → target multiplies, target → unit divides), across ISO 4217
 * exponents (GBP 2 → JPY 0 → BHD 3).
 *
 * Rounding: the exact result is rounded once, to the nearest minor unit of the target currency,
 * ties to even (banker's rounding, IEEE 754 roundTiesToEven). Half-even rather than half-up because
 * the same conversion repeats across every instalment of a standing order and every payment of a
 * day: ties then fall up as often as down, so neither the bank nor its customers drift ahead.
 */
export function convertAmount(amount: Money, rate: ExchangeRate, to: string): Money {
  let factor = parseRate(rate.rate);
  if (amount.currency === rate.targetCurrency && to === rate.unitCurrency) factor = invertRate(factor);
  else if (amount.currency !== rate.unitCurrency || to !== rate.targetCurrency) {
    throw new RangeError(`a ${rate.unitCurrency}/${rate.targetCurrency} rate does not convert ${amount.currency} to ${to}`);
  }
  const fromExponent = currencyExponent(amount.currency);
  const toExponent = currencyExponent(to);
  // amount × 10^-from × rate × 10^to, in integers.
  const numerator = amount.amountMinor * factor.numerator * 10n ** BigInt(toExponent);
  const denominator = factor.denominator * 10n ** BigInt(fromExponent);
  return { amountMinor: divideHalfEven(numerator, denominator), currency: to };
}
