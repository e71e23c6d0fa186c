import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { currencyExponent, formatAmount, isSupportedCurrency, parseAmount, parsePositiveAmount, isValidIban, ukIban } from '../../src/core/index.ts';

describe('money', () => {
  it('parses wire amounts into minor units exactly', () => {
    assert.equal(parseAmount('10.50', 'GBP'), 1050n);
    assert.equal(parseAmount('10.5', 'GBP'), 1050n);
    assert.equal(parseAmount('0.01', 'EUR'), 1n);
    assert.equal(parseAmount('1000', 'JPY'), 1000n);
    assert.equal(parseAmount('7.00000', 'GBP'), 700n);
    assert.equal(parseAmount('9999999999999.99', 'GBP'), 999999999999999n);
  });

  it('refuses to round or guess', () => {
    for (const [amount, currency] of [['10.505', 'GBP'], ['1.5', 'JPY'], ['-1.00', 'GBP'], ['1e3', 'GBP'], [' 1.00', 'GBP'], ['1,00', 'GBP'], ['', 'GBP'], ['1.00', 'XXX']]) {
      assert.throws(() => parseAmount(amount!, currency!), RangeError, `${amount} ${currency}`);
    }
  });

  it('takes an amount that must be above zero, or none', () => {
    assert.equal(parsePositiveAmount('0.01', 'GBP'), 1n);
    assert.equal(parsePositiveAmount('10.50', 'GBP'), 1050n);
    for (const [amount, currency] of [['0', 'GBP'], ['0.00', 'GBP'], ['10.505', 'GBP'], ['-1.00', 'GBP'], ['1.00', 'XXX']]) {
      assert.equal(parsePositiveAmount(amount!, currency!), undefined, `${amount} ${currency}`);
    }
  });

  it('formats with exactly the currency decimals and round-trips', () => {
    assert.equal(formatAmount(1050n, 'GBP'), '10.50');
    assert.equal(formatAmount(5n, 'GBP'), '0.05');
    assert.equal(formatAmount(-5n, 'GBP'), '-0.05');
    assert.equal(formatAmount(1000n, 'JPY'), '1000');
    assert.equal(formatAmount(1n, 'BHD'), '0.001');
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n - 1n }), fc.constantFrom('GBP', 'EUR', 'JPY', 'BHD'), (minor, currency) => parseAmount(formatAmount(minor, currency), currency) === minor),
    );
  });

  it('takes minor-unit exponents from ISO 4217 and handles only the currencies the bank offers, by exact code', () => {
    assert.deepEqual(['GBP', 'JPY', 'ISK', 'KWD', 'HUF'].map(currencyExponent), [2, 0, 0, 3, 2]);
    for (const currency of ['XAU', 'XXX', 'gbp', 'ZZZ']) {
      assert.equal(isSupportedCurrency(currency), false, currency);
      assert.throws(() => currencyExponent(currency), RangeError);
    }
  });

  it('builds valid UK IBANs and rejects altered ones', () => {
    const iban = ukIban('040004', '12345678');
    assert.match(iban, /^GB\d{2}PRTC04000412345678$/);
    assert.equal(isValidIban(iban), true);
    assert.equal(isValidIban('GB33BUKB20201555555555'), true);
    assert.equal(isValidIban(iban.replace('12345678', '12345679')), false);
    assert.equal(isValidIban('not an iban'), false);
    assert.equal(isValidIban('gb33 bukb 2020 1555 5555 55'), true, 'spaces and case do not count');
  });

  it('refuses an IBAN of the wrong length for its country even when its mod-97 check digits hold (23-character GB IBAN)', () => {
    // GB71BUKB202015555555550: ISO 7064 mod 97-10 holds, but a GB IBAN is 22 characters (ISO 13616 registry).
    assert.equal(isValidIban('GB71BUKB202015555555550'), false);
    assert.equal(isValidIban('GB33BUKB2020155555555'), false, 'one character short');
    assert.equal(isValidIban('XX33BUKB20201555555555'), false, 'a country outside the registry');
  });
});
