import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  FixedRateExchange,
  SANDBOX_RATES,
  agreeExchangeRate,
  convertAmount,
  formatRate,
  parseRate,
  rateForExecution,
  type ExchangeRate,
  type ExchangeRateTerms,
} from '../../src/core/fx/index.ts';
import { currencyExponent } from '../../src/core/index.ts';
import { isAppError } from '../../src/platform/errors/index.ts';

const KEY = randomBytes(32);
const T0 = new Date('2025-03-03T09:00:00.000Z');
const THIRTY_MINUTES = 30 * 60_000;

function rejectsWith(code: string) {
  return (error: unknown) => {
    assert.ok(isAppError(error), `expected an AppError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  };
}

const rate = (unitCurrency: string, targetCurrency: string, value: string): ExchangeRate => ({ unitCurrency, targetCurrency, rate: value });

describe('exchange-rate arithmetic', () => {
  it('parses decimal rates exactly, in any spelling of the same number', () => {
    assert.deepEqual(parseRate('1.17'), { numerator: 117n, denominator: 100n });
    assert.deepEqual(parseRate('1.1700'), { numerator: 117n, denominator: 100n });
    assert.deepEqual(parseRate('191.5'), { numerator: 383n, denominator: 2n });
    assert.deepEqual(parseRate('1720'), { numerator: 1720n, denominator: 1n });
    // What JavaScript prints for small JSON numbers.
    assert.deepEqual(parseRate('1e-7'), { numerator: 1n, denominator: 10_000_000n });
    assert.deepEqual(parseRate('2.5E+3'), { numerator: 2500n, denominator: 1n });
    for (const bad of ['0', '0.000', '-1.17', '1,17', '.5', '5.', '', ' 1.17', '1.17 ', 'NaN', 'Infinity', '0x10', '1e', '1.2.3']) {
      assert.throws(() => parseRate(bad), RangeError, JSON.stringify(bad));
    }
  });

  it('publishes a rate at a fixed number of significant digits, half-even', () => {
    assert.equal(formatRate({ numerator: 1n, denominator: 3n }, 10), '0.3333333333');
    assert.equal(formatRate({ numerator: 2n, denominator: 3n }, 10), '0.6666666667');
    // Ties go to the even digit.
    assert.equal(formatRate({ numerator: 1n, denominator: 8n }, 2), '0.12');
    assert.equal(formatRate({ numerator: 27n, denominator: 200n }, 2), '0.14');
    assert.equal(formatRate({ numerator: 12_345n, denominator: 1n }, 3), '12300');
    assert.equal(formatRate({ numerator: 12_350n, denominator: 1n }, 3), '12400');
    // Rounding up across a power of ten.
    assert.equal(formatRate({ numerator: 99_999n, denominator: 1n }, 3), '100000');
    assert.equal(formatRate({ numerator: 9_999n, denominator: 10_000n }, 3), '1');
    // Exact when the fraction terminates within the digits; no trailing zeros.
    assert.equal(formatRate({ numerator: 383n, denominator: 2n }, 10), '191.5');
    assert.equal(formatRate({ numerator: 1n, denominator: 10_000_000n }, 10), '0.0000001');
  });
});

describe('convertAmount (ISO 4217 exponents, half-even)', () => {
  it('converts from the unit currency by multiplying and back by dividing', () => {
    assert.deepEqual(convertAmount({ amountMinor: 10_000n, currency: 'GBP' }, rate('GBP', 'EUR', '1.17'), 'EUR'), { amountMinor: 11_700n, currency: 'EUR' });
    assert.deepEqual(convertAmount({ amountMinor: 11_700n, currency: 'EUR' }, rate('GBP', 'EUR', '1.17'), 'GBP'), { amountMinor: 10_000n, currency: 'GBP' });
    assert.deepEqual(convertAmount({ amountMinor: 0n, currency: 'GBP' }, rate('GBP', 'EUR', '1.17'), 'EUR'), { amountMinor: 0n, currency: 'EUR' });
  });

  it('changes exponents: GBP (2) → JPY (0), JPY → GBP, GBP → BHD (3), BHD → JPY', () => {
    const gbpJpy = rate('GBP', 'JPY', '191.5');
    assert.equal(convertAmount({ amountMinor: 101n, currency: 'GBP' }, gbpJpy, 'JPY').amountMinor, 193n); // 193.415
    assert.equal(convertAmount({ amountMinor: 1915n, currency: 'JPY' }, gbpJpy, 'GBP').amountMinor, 1000n); // exactly 10.00
    assert.equal(convertAmount({ amountMinor: 1n, currency: 'JPY' }, gbpJpy, 'GBP').amountMinor, 1n); // 0.522 p
    const gbpBhd = rate('GBP', 'BHD', '0.479');
    assert.equal(convertAmount({ amountMinor: 100n, currency: 'GBP' }, gbpBhd, 'BHD').amountMinor, 479n); // 0.479
    assert.equal(convertAmount({ amountMinor: 1n, currency: 'GBP' }, gbpBhd, 'BHD').amountMinor, 5n); // 4.79 fils
    const bhdJpy = rate('BHD', 'JPY', '399.5');
    assert.equal(convertAmount({ amountMinor: 1n, currency: 'BHD' }, bhdJpy, 'JPY').amountMinor, 0n); // 0.3995 yen
    assert.equal(convertAmount({ amountMinor: 2n, currency: 'BHD' }, bhdJpy, 'JPY').amountMinor, 1n); // 0.799 yen
    assert.equal(convertAmount({ amountMinor: 10_000n, currency: 'BHD' }, bhdJpy, 'JPY').amountMinor, 3995n);
  });

  it('rounds exact halves to the even minor unit, in both directions of the exponent', () => {
    const gbpJpy = rate('GBP', 'JPY', '191.5');
    assert.equal(convertAmount({ amountMinor: 100n, currency: 'GBP' }, gbpJpy, 'JPY').amountMinor, 192n); // 191.5 → 192
    assert.equal(convertAmount({ amountMinor: 300n, currency: 'GBP' }, gbpJpy, 'JPY').amountMinor, 574n); // 574.5 → 574 (half-up would say 575)
    assert.equal(convertAmount({ amountMinor: -300n, currency: 'GBP' }, gbpJpy, 'JPY').amountMinor, -574n); // symmetric
    const jpyBhd = rate('JPY', 'BHD', '0.0025');
    assert.equal(convertAmount({ amountMinor: 1n, currency: 'JPY' }, jpyBhd, 'BHD').amountMinor, 2n); // 2.5 fils
    assert.equal(convertAmount({ amountMinor: 3n, currency: 'JPY' }, jpyBhd, 'BHD').amountMinor, 8n); // 7.5 fils
    assert.equal(convertAmount({ amountMinor: 5n, currency: 'JPY' }, jpyBhd, 'BHD').amountMinor, 12n); // 12.5 fils
    const jpyGbp = rate('JPY', 'GBP', '0.005');
    assert.equal(convertAmount({ amountMinor: 10_001n, currency: 'JPY' }, jpyGbp, 'GBP').amountMinor, 5000n); // 5000.5 p → 5000
    assert.equal(convertAmount({ amountMinor: 10_003n, currency: 'JPY' }, jpyGbp, 'GBP').amountMinor, 5002n); // 5001.5 p → 5002
    // Just off a tie is ordinary rounding.
    assert.equal(convertAmount({ amountMinor: 10_001n, currency: 'JPY' }, rate('JPY', 'GBP', '0.0050000001'), 'GBP').amountMinor, 5001n); // 5000.500001 p
  });

  it('refuses a rate that does not join the two currencies', () => {
    assert.throws(() => convertAmount({ amountMinor: 100n, currency: 'USD' }, rate('GBP', 'EUR', '1.17'), 'EUR'), RangeError);
    assert.throws(() => convertAmount({ amountMinor: 100n, currency: 'GBP' }, rate('GBP', 'EUR', '1.17'), 'USD'), RangeError);
    assert.throws(() => convertAmount({ amountMinor: 100n, currency: 'GBP' }, rate('GBP', 'EUR', '1.17'), 'GBP'), RangeError);
  });

  const CURRENCIES = ['GBP', 'EUR', 'USD', 'JPY', 'KRW', 'BHD', 'KWD'] as const;
  const rateArb = fc
    .record({ digits: fc.bigInt({ min: 1n, max: 10n ** 12n }), scale: fc.integer({ min: 0, max: 12 }) })
    .map(({ digits, scale }) => {
      const text = digits.toString().padStart(scale + 1, '0');
      return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
    });
  const pairArb = fc
    .tuple(fc.constantFrom(...CURRENCIES), fc.constantFrom(...CURRENCIES))
    .filter(([a, b]) => a !== b);

  it('is the exact product rounded to the nearest minor unit, ties to even (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), rateArb, pairArb, fc.boolean(), (amountMinor, value, [unit, target], inverse) => {
        const from = inverse ? target : unit;
        const to = inverse ? unit : target;
        const { amountMinor: result } = convertAmount({ amountMinor, currency: from }, rate(unit, target, value), to);
        // exact = amount × 10^-e(from) × factor × 10^e(to) = num / den
        let { numerator: p, denominator: q } = parseRate(value);
        if (inverse) [p, q] = [q, p];
        const num = amountMinor * p * 10n ** BigInt(currencyExponent(to));
        const den = q * 10n ** BigInt(currencyExponent(from));
        const twiceError = 2n * (result * den - num);
        const abs = twiceError < 0n ? -twiceError : twiceError;
        assert.ok(abs <= den, 'within half a minor unit');
        if (abs === den) assert.equal(result % 2n, 0n, 'ties go to even');
      }),
      { numRuns: 2000 },
    );
  });

  it('is monotonic and returns to the same amount through a finer currency (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), rateArb, pairArb, (a, b, value, [unit, target]) => {
        const r = rate(unit, target, value);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(convertAmount({ amountMinor: lo, currency: unit }, r, target).amountMinor <= convertAmount({ amountMinor: hi, currency: unit }, r, target).amountMinor);
        // One minor unit of `unit` is worth at least one of `target`: the round trip loses nothing.
        const { numerator: p, denominator: q } = parseRate(value);
        if (p * 10n ** BigInt(currencyExponent(target)) >= q * 10n ** BigInt(currencyExponent(unit))) {
          const there = convertAmount({ amountMinor: a, currency: unit }, r, target);
          assert.equal(convertAmount(there, r, unit).amountMinor, a);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('FixedRateExchange (sandbox rate source)', () => {
  const source = new FixedRateExchange({ contractKey: KEY });

  it('quotes table rates with a contract valid for 30 minutes', async () => {
    const quote = await source.quote('GBP', 'EUR', T0);
    assert.equal(quote.unitCurrency, 'GBP');
    assert.equal(quote.targetCurrency, 'EUR');
    assert.equal(quote.rate, '1.17');
    assert.equal(quote.quotedAt.toISOString(), '2025-03-03T09:00:00.000Z');
    assert.equal(quote.expiresAt.toISOString(), '2025-03-03T09:30:00.000Z');
    assert.match(quote.contractIdentification, /^fx1_GBPEUR_1\.17_1740992400000_1740994200000_[0-9a-f]{32}$/);
    assert.ok(quote.contractIdentification.length <= 256, 'OB ContractIdentification maxLength');
  });

  it('derives inverse and cross rates exactly, then publishes 10 significant digits half-even', async () => {
    assert.deepEqual(source.exactRate('EUR', 'GBP'), { numerator: 100n, denominator: 117n });
    assert.deepEqual(source.exactRate('EUR', 'USD'), { numerator: 127n, denominator: 117n });
    assert.deepEqual(source.exactRate('JPY', 'USD'), { numerator: 127n, denominator: 19_150n });
    assert.deepEqual(source.exactRate('KRW', 'BHD'), { numerator: 479n, denominator: 1_720_000n });
    const expected: Array<[string, string, string]> = [
      ['EUR', 'GBP', '0.8547008547'],
      ['EUR', 'USD', '1.085470085'],
      ['USD', 'EUR', '0.9212598425'],
      ['JPY', 'USD', '0.006631853786'],
      ['USD', 'JPY', '150.7874016'],
      ['KRW', 'BHD', '0.0002784883721'],
      ['BHD', 'KRW', '3590.814196'],
      ['JPY', 'GBP', '0.005221932115'],
      ['GBP', 'JPY', '191.5'],
      ['KWD', 'HUF', '1181.585678'],
    ];
    for (const [unit, target, value] of expected) assert.equal((await source.quote(unit, target, T0)).rate, value, `${unit}/${target}`);
  });

  it('publishes every pair within half a unit of its 10th significant digit (property over the table)', async () => {
    const currencies = ['GBP', ...Object.keys(SANDBOX_RATES)];
    for (const unit of currencies) {
      for (const target of currencies) {
        if (unit === target) continue;
        const exact = source.exactRate(unit, target);
        const published = parseRate((await source.quote(unit, target, T0)).rate);
        // |published − exact| ≤ ½ · 10^(e−9), e = floor(log10(exact)); checked in integers.
        const e = Math.floor(Math.log10(Number(exact.numerator) / Number(exact.denominator)));
        const diffNum = published.numerator * exact.denominator - exact.numerator * published.denominator;
        const diffDen = published.denominator * exact.denominator;
        const absNum = diffNum < 0n ? -diffNum : diffNum;
        const ulpNum = e - 9 >= 0 ? 10n ** BigInt(e - 9) : 1n;
        const ulpDen = e - 9 >= 0 ? 1n : 10n ** BigInt(9 - e);
        assert.ok(2n * absNum * ulpDen <= ulpNum * diffDen, `${unit}/${target}`);
      }
    }
  });

  it('refuses unknown currencies and a currency against itself', async () => {
    await assert.rejects(source.quote('GBP', 'XXX', T0), rejectsWith('FX.UNSUPPORTED_CURRENCY'));
    await assert.rejects(source.quote('XXX', 'GBP', T0), rejectsWith('FX.UNSUPPORTED_CURRENCY'));
    await assert.rejects(source.quote('GBP', 'GBP', T0), rejectsWith('FX.SAME_CURRENCY'));
    const small = new FixedRateExchange({ contractKey: KEY, rates: { EUR: '1.17' } });
    await assert.rejects(small.quote('GBP', 'USD', T0), rejectsWith('FX.UNSUPPORTED_CURRENCY'));
    assert.throws(() => new FixedRateExchange({ contractKey: randomBytes(16) }), RangeError);
    assert.throws(() => new FixedRateExchange({ contractKey: KEY, rates: { XXX: '1' } }), RangeError);
    assert.throws(() => new FixedRateExchange({ contractKey: KEY, rates: { EUR: '-1' } }), RangeError);
  });

  it('recognises its own contracts only, unaltered, and honours them after the table changes', async () => {
    const quote = await source.quote('GBP', 'USD', T0);
    assert.deepEqual(await source.findContract(quote.contractIdentification), quote);
    const repriced = new FixedRateExchange({ contractKey: KEY, rates: { ...SANDBOX_RATES, USD: '1.30' } });
    assert.deepEqual(await repriced.findContract(quote.contractIdentification), quote);
    assert.equal((await repriced.quote('GBP', 'USD', T0)).rate, '1.3');
    const altered = [
      quote.contractIdentification.replace('_1.27_', '_1.28_'),
      quote.contractIdentification.replace('GBPUSD', 'GBPEUR'),
      quote.contractIdentification.replace('_1740994200000_', '_1740999999999_'),
      quote.contractIdentification.slice(0, -1) + (quote.contractIdentification.endsWith('0') ? '1' : '0'),
      'not-a-contract',
      '',
    ];
    for (const id of altered) assert.equal(await source.findContract(id), undefined, id);
    const otherBank = new FixedRateExchange({ contractKey: randomBytes(32) });
    assert.equal(await otherBank.findContract(quote.contractIdentification), undefined);
  });

  it('honours contracts made under the previous key during a rotation, and new ones under the new key only', async () => {
    const quote = await source.quote('GBP', 'EUR', T0);
    const rotated = new FixedRateExchange({ contractKey: randomBytes(32), previousContractKeys: [KEY] });
    assert.deepEqual(await rotated.findContract(quote.contractIdentification), quote, 'quoted before the rotation, still honoured');
    const fresh = await rotated.quote('GBP', 'EUR', T0);
    assert.deepEqual(await rotated.findContract(fresh.contractIdentification), fresh);
    assert.equal(await source.findContract(fresh.contractIdentification), undefined, 'the old key does not vouch for new contracts');
    assert.throws(() => new FixedRateExchange({ contractKey: KEY, previousContractKeys: [randomBytes(16)] }), RangeError);
  });
});

describe('OB v4.0 ExchangeRateInformation', () => {
  const source = new FixedRateExchange({ contractKey: KEY });

  it('Actual: the bank quotes and guarantees its rate until ExpirationDateTime', async () => {
    const terms = await agreeExchangeRate(source, { rateType: 'Actual', unitCurrency: 'GBP', targetCurrency: 'USD' }, T0);
    assert.equal(terms.rateType, 'Actual');
    assert.equal(terms.rate, '1.27');
    assert.equal(terms.expiresAt?.toISOString(), '2025-03-03T09:30:00.000Z');
    assert.match(terms.contractIdentification ?? '', /^fx1_GBPUSD_1\.27_/);
    // Accepted a millisecond before expiry, at the consented rate, even after a reprice.
    const repriced = new FixedRateExchange({ contractKey: KEY, rates: { ...SANDBOX_RATES, USD: '1.31' } });
    const applied = await rateForExecution(repriced, terms, new Date(T0.getTime() + THIRTY_MINUTES - 1));
    assert.deepEqual(applied, terms);
    assert.deepEqual(convertAmount({ amountMinor: 16_588n, currency: 'GBP' }, applied, 'USD'), { amountMinor: 21_067n, currency: 'USD' }); // 210.6676
    await assert.rejects(rateForExecution(repriced, terms, new Date(T0.getTime() + THIRTY_MINUTES)), rejectsWith('FX.CONTRACT_EXPIRED'));
  });

  it('Actual and Indicative refuse a TPP-supplied ExchangeRate or ContractIdentification', async () => {
    for (const rateType of ['Actual', 'Indicative'] as const) {
      await assert.rejects(
        agreeExchangeRate(source, { rateType, unitCurrency: 'GBP', targetCurrency: 'USD', exchangeRate: '1.27' }, T0),
        rejectsWith('FX.RATE_NOT_EXPECTED'),
      );
      const { contractIdentification } = await source.quote('GBP', 'USD', T0);
      await assert.rejects(
        agreeExchangeRate(source, { rateType, unitCurrency: 'GBP', targetCurrency: 'USD', contractIdentification }, T0),
        rejectsWith('FX.RATE_NOT_EXPECTED'),
      );
    }
    await assert.rejects(agreeExchangeRate(source, { rateType: 'Actual', unitCurrency: 'GBP', targetCurrency: 'GBP' }, T0), rejectsWith('FX.SAME_CURRENCY'));
    await assert.rejects(agreeExchangeRate(source, { rateType: 'Indicative', unitCurrency: 'GBP', targetCurrency: 'XXX' }, T0), rejectsWith('FX.UNSUPPORTED_CURRENCY'));
  });

  it('Indicative: the rate now is quoted back; the bank rate at execution is applied', async () => {
    const terms = await agreeExchangeRate(source, { rateType: 'Indicative', unitCurrency: 'EUR', targetCurrency: 'USD' }, T0);
    assert.deepEqual(terms, { rateType: 'Indicative', unitCurrency: 'EUR', targetCurrency: 'USD', rate: '1.085470085' });
    const later = new Date('2025-03-10T14:00:00.000Z');
    const repriced = new FixedRateExchange({ contractKey: KEY, rates: { ...SANDBOX_RATES, EUR: '1.25' } });
    const applied = await rateForExecution(repriced, terms, later);
    assert.equal(applied.rateType, 'Indicative');
    assert.equal(applied.rate, '1.016'); // 1.27 / 1.25
    assert.equal(applied.expiresAt, undefined);
    const reference = await repriced.findContract(applied.contractIdentification ?? '');
    assert.equal(reference?.quotedAt.toISOString(), later.toISOString());
    assert.deepEqual(convertAmount({ amountMinor: 100_000n, currency: 'EUR' }, applied, 'USD'), { amountMinor: 101_600n, currency: 'USD' });
  });

  it('Agreed: a contract the bank issued is accepted with its exact rate, however the number is written', async () => {
    const contract = await source.quote('EUR', 'USD', T0);
    // The TPP's JSON number as JavaScript reads and prints it.
    const wire = String((JSON.parse('{"ExchangeRate": 1.0854700850}') as { ExchangeRate: number }).ExchangeRate);
    assert.equal(wire, '1.085470085');
    for (const exchangeRate of [wire, '1.0854700850', '1085470085e-9']) {
      const terms = await agreeExchangeRate(
        source,
        { rateType: 'Agreed', unitCurrency: 'EUR', targetCurrency: 'USD', exchangeRate, contractIdentification: contract.contractIdentification },
        new Date(T0.getTime() + 60_000),
      );
      assert.deepEqual(terms, {
        rateType: 'Agreed',
        unitCurrency: 'EUR',
        targetCurrency: 'USD',
        rate: '1.085470085',
        contractIdentification: contract.contractIdentification,
        expiresAt: contract.expiresAt,
      });
      assert.deepEqual(await rateForExecution(source, terms, new Date(T0.getTime() + 120_000)), terms);
    }
  });

  it('Agreed: a rate, direction or currency that differs from the contract is rejected', async () => {
    const contract = await source.quote('GBP', 'USD', T0);
    const agreed = (overrides: { unitCurrency?: string; targetCurrency?: string; exchangeRate?: string; contractIdentification?: string | undefined }) =>
      agreeExchangeRate(
        source,
        { rateType: 'Agreed', unitCurrency: 'GBP', targetCurrency: 'USD', exchangeRate: '1.27', contractIdentification: contract.contractIdentification, ...overrides },
        T0,
      );
    await agreed({}); // the baseline is accepted
    await assert.rejects(agreed({ exchangeRate: '1.28' }), rejectsWith('FX.CONTRACT_MISMATCH'));
    await assert.rejects(agreed({ exchangeRate: '1.2700000001' }), rejectsWith('FX.CONTRACT_MISMATCH'));
    await assert.rejects(agreed({ exchangeRate: '0.7874015748' }), rejectsWith('FX.CONTRACT_MISMATCH'));
    await assert.rejects(agreed({ unitCurrency: 'USD', targetCurrency: 'GBP' }), rejectsWith('FX.CONTRACT_MISMATCH'));
    await assert.rejects(agreed({ targetCurrency: 'EUR' }), rejectsWith('FX.CONTRACT_MISMATCH'));
    await assert.rejects(agreed({ contractIdentification: contract.contractIdentification.replace('_1.27_', '_1.20_'), exchangeRate: '1.20' }), rejectsWith('FX.CONTRACT_UNKNOWN'));
    await assert.rejects(agreed({ contractIdentification: 'FX-CONTRACT-0001' }), rejectsWith('FX.CONTRACT_UNKNOWN'));
    await assert.rejects(agreed({ exchangeRate: 'one' }), rejectsWith('FX.RATE_INVALID'));
    await assert.rejects(agreed({ exchangeRate: '0' }), rejectsWith('FX.RATE_INVALID'));
    await assert.rejects(agreed({ contractIdentification: undefined }), rejectsWith('FX.RATE_MISSING'));
    await assert.rejects(
      agreeExchangeRate(source, { rateType: 'Agreed', unitCurrency: 'GBP', targetCurrency: 'USD', contractIdentification: contract.contractIdentification }, T0),
      rejectsWith('FX.RATE_MISSING'),
    );
  });

  it('Agreed: an expired contract is rejected at consent and at execution; a forgotten one at execution', async () => {
    const contract = await source.quote('GBP', 'JPY', T0);
    const request = { rateType: 'Agreed' as const, unitCurrency: 'GBP', targetCurrency: 'JPY', exchangeRate: '191.5', contractIdentification: contract.contractIdentification };
    await assert.rejects(agreeExchangeRate(source, request, contract.expiresAt), rejectsWith('FX.CONTRACT_EXPIRED'));
    const terms = await agreeExchangeRate(source, request, new Date(contract.expiresAt.getTime() - 1));
    await assert.rejects(rateForExecution(source, terms, contract.expiresAt), rejectsWith('FX.CONTRACT_EXPIRED'));
    const otherKey = new FixedRateExchange({ contractKey: randomBytes(32) });
    await assert.rejects(rateForExecution(otherKey, terms, T0), rejectsWith('FX.CONTRACT_UNKNOWN'));
    // Terms altered in storage no longer match the contract they name.
    const tampered: ExchangeRateTerms = { ...terms, rate: '200' } as ExchangeRateTerms;
    await assert.rejects(rateForExecution(source, tampered, T0), rejectsWith('FX.CONTRACT_MISMATCH'));
  });
});
