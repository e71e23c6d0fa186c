import currencyCodes from 'currency-codes';

/**
 * Money is bigint minor units plus an ISO 4217 code; never a JS number (DESIGN.md §2.7).
 */
export interface Money {
  readonly amountMinor: bigint;
  readonly currency: string;
}

/**
 * The currencies the platform handles (accounts, payments, FX); which ones a bank offers is its
 * choice, their minor-unit exponents are ISO 4217's (the published list, through currency-codes).
 */
const HANDLED = ['GBP', 'EUR', 'USD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'CAD', 'AUD', 'NZD', 'JPY', 'KRW', 'ISK', 'BHD', 'KWD', 'OMR', 'JOD', 'TND'];

const EXPONENTS: ReadonlyMap<string, number> = new Map(
  HANDLED.map((code) => {
    const record = currencyCodes.code(code);
    if (!record) throw new Error(`${code} is not an ISO 4217 currency`);
    return [code, record.digits];
  }),
);

export function isSupportedCurrency(currency: string): boolean {
  return EXPONENTS.has(currency);
}

export function currencyExponent(currency: string): number {
  const exponent = EXPONENTS.get(currency);
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

/** The minor units of a wire amount that must be above zero (an instructed or checked amount); undefined when it is not a valid one. */
export function parsePositiveAmount(decimal: string, currency: string): bigint | undefined {
  let minor: bigint;
  try {
    minor = parseAmount(decimal, currency);
  } catch {
    return undefined;
  }
  return minor > 0n ? minor : undefined;
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
