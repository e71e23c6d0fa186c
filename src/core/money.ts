/**
 * Money is bigint minor units plus an ISO 4217 code; never a JS number (DESIGN.md §2.7).
 */
export interface Money {
  readonly amountMinor: bigint;
  readonly currency: string;
}

/** ISO 4217 minor-unit exponents for the currencies the platform handles. */
const EXPONENTS: Record<string, number> = {
  GBP: 2, EUR: 2, USD: 2, CHF: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2, HUF: 2, CAD: 2, AUD: 2, NZD: 2,
  JPY: 0, KRW: 0, ISK: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3,
};

export function isSupportedCurrency(currency: string): boolean {
  return Object.hasOwn(EXPONENTS, currency);
}

export function currencyExponent(currency: string): number {
  const exponent = EXPONENTS[currency];
  if (exponent === undefined) throw new RangeError(`unsupported currency ${currency}`);
  return exponent;
}

// OB v4.0 `OBActiveCurrencyAndAmount_SimpleType`: ^\d{1,13}$|^\d{1,13}\.\d{1,5}$
const DECIMAL = /^(\d{1,13})(?:\.(\d{1,5}))?$/;

/**
 * Parses a wire amount ("10.50") into minor units. Rejects more fractional digits than the
 * currency has (unless they are zeros) rather than rounding someone's money.
 */
export function parseAmount(decimal: string, currency: string): bigint {
  const match = DECIMAL.exec(decimal);
  if (!match) throw new RangeError(`invalid amount ${JSON.stringify(decimal)}`);
  const exponent = currencyExponent(currency);
  const whole = match[1] as string;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) throw new RangeError(`${currency} has ${exponent} decimal places, got ${decimal}`);
  return BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
}

/** Formats minor units as the wire decimal with exactly the currency's decimal places. */
export function formatAmount(minor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
