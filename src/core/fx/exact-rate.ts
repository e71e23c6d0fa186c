/**
 * Exchange-rate arithmetic on exact rationals: a rate is never a JS `number` (DESIGN.md §2.7),
 * so "1.17" means 117/100 and an inverse or cross rate is the exact fraction.
 */
export interface ExactRate {
  /** Both positive and coprime. */
  readonly numerator: bigint;
  readonly denominator: bigint;
}

// A positive decimal, as written in a rate table or received as the OB `ExchangeRate` JSON number
// (which JavaScript may print in exponent form: 1e-7).
const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/;

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

export function exactRate(numerator: bigint, denominator: bigint): ExactRate {
  if (numerator <= 0n || denominator <= 0n) throw new RangeError('an exchange rate is positive');
  const divisor = gcd(numerator, denominator);
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

/** Parses a positive decimal rate ("1.17", "0.0051", "1e-7") exactly; anything else is a RangeError. */
export function parseRate(decimal: string): ExactRate {
  const match = DECIMAL.exec(decimal);
  if (!match) throw new RangeError(`invalid exchange rate ${JSON.stringify(decimal)}`);
  const fraction = match[2] ?? '';
  const scale = fraction.length - Number(match[3] ?? '0');
  const digits = BigInt(`${match[1]}${fraction}`);
  if (digits === 0n) throw new RangeError(`an exchange rate is positive, got ${JSON.stringify(decimal)}`);
  return scale >= 0 ? exactRate(digits, pow10(scale)) : exactRate(digits * pow10(-scale), 1n);
}

export function invertRate(rate: ExactRate): ExactRate {
  return { numerator: rate.denominator, denominator: rate.numerator };
}

/** `a / b`: with both against the same unit, the rate from b's currency to a's. */
export function divideRates(a: ExactRate, b: ExactRate): ExactRate {
  return exactRate(a.numerator * b.denominator, a.denominator * b.numerator);
}

export function ratesEqual(a: ExactRate, b: ExactRate): boolean {
  return a.numerator === b.numerator && a.denominator === b.denominator;
}

/** `numerator / denominator` to the nearest integer, ties to the even one (denominator > 0). */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  const twice = (n % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Writes `digits × 10^-scale` as a plain decimal without trailing zeros. */
function formatScaled(digits: bigint, scale: number): string {
  if (scale <= 0) return (digits * pow10(-scale)).toString();
  const text = digits.toString().padStart(scale + 1, '0');
  const whole = text.slice(0, -scale);
  const fraction = text.slice(-scale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * The rate as a decimal of at most `significantDigits` significant digits, rounded half-even;
 * exact when the fraction terminates within them. A published rate is what gets applied, so it
 * must be a finite decimal, and up to 15 significant digits survive the OB wire's JSON `number`.
 */
export function formatRate(rate: ExactRate, significantDigits: number): string {
  if (!Number.isInteger(significantDigits) || significantDigits < 1) throw new RangeError('significantDigits must be a positive integer');
  const { numerator: n, denominator: d } = rate;
  // e = floor(log10(n / d)): start from the digit counts and correct by one if needed.
  let e = n.toString().length - d.toString().length;
  if (e >= 0 ? n < d * pow10(e) : n * pow10(-e) < d) e -= 1;
  const scale = significantDigits - 1 - e;
  const digits = scale >= 0 ? divideHalfEven(n * pow10(scale), d) : divideHalfEven(n, d * pow10(-scale));
  return formatScaled(digits, scale);
}
