import { currencyExponent, formatAmount, isSupportedCurrency } from '../../core/index.ts';

const formats = new Map<string, Intl.NumberFormat>();

/**
 * An amount as a UK customer reads it: "£1,234.56", "€20.00", "US$5.00" (en-GB symbols, the
 * currency's own decimal places). Formatted from the exact decimal text, never through a float.
 */
export function moneyText(minor: bigint, currency: string): string {
  if (!isSupportedCurrency(currency)) return `${minor} ${currency}`;
  let format = formats.get(currency);
  if (!format) {
    const digits = currencyExponent(currency);
    format = new Intl.NumberFormat('en-GB', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(currency, format);
  }
  // Intl formats a decimal string exactly (ECMA-402 NumberFormat v3); the cast is for older lib typings.
  return format.format(formatAmount(minor, currency) as unknown as number);
}
