import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { convertAmount, FixedRateExchange } from '../../../src/core/fx/index.ts';
import { InternationalPaymentErrors } from '../../../src/modules/payments/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { debitOf } from '../../../src/modules/payments/submit-international-payment.ts';

const rates = new FixedRateExchange({ contractKey: randomBytes(32), rates: { EUR: '1.17', USD: '1.27' } });
const AT = new Date('2026-06-01T12:00:00Z');
const gbp = (amountMinor: bigint) => ({ amountMinor, currency: 'GBP' });
const eur = (amountMinor: bigint) => ({ amountMinor, currency: 'EUR' });

describe('international payments: the conversion follows the currency the amount is instructed in', () => {
  it('instructed in CurrencyOfTransfer (EUR 100.00) from a GBP account: EUR 100.00 paid, GBP 85.47 debited (100 / 1.17, half-even)', async () => {
    const exchange = await debitOf(rates, eur(10_000n), 'GBP', undefined, AT, 'EUR');
    assert.deepEqual(exchange.transfer, eur(10_000n));
    assert.deepEqual(exchange.debit, gbp(8547n));
    assert.deepEqual([exchange.exchangeRate?.unitCurrency, exchange.exchangeRate?.targetCurrency, exchange.exchangeRate?.rate], ['GBP', 'EUR', '1.17']);
  });

  it("instructed in the debtor account's currency (GBP 100.00), CurrencyOfTransfer EUR: GBP 100.00 debited, EUR 117.00 paid", async () => {
    const exchange = await debitOf(rates, gbp(10_000n), 'GBP', undefined, AT, 'EUR');
    assert.deepEqual(exchange.debit, gbp(10_000n));
    assert.deepEqual(exchange.transfer, eur(11_700n));
    assert.equal(exchange.exchangeRate?.rateType, 'Indicative');
  });

  it('a tie is rounded half-even once: GBP 0.50 pays EUR 0.58 (0.585), GBP 0.70 pays EUR 0.82 (0.819), GBP 1.50 pays EUR 1.76 (1.755)', async () => {
    for (const [instructed, paid] of [
      [50n, 58n],
      [70n, 82n],
      [150n, 176n],
    ] as const) {
      assert.deepEqual((await debitOf(rates, gbp(instructed), 'GBP', undefined, AT, 'EUR')).transfer, eur(paid));
    }
  });

  it('property: the debtor pays exactly the instructed amount, the creditor its exact half-even conversion at the rate applied', async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.constantFrom('EUR', 'USD'), async (amountMinor, currencyOfTransfer) => {
        const exchange = await debitOf(rates, gbp(amountMinor), 'GBP', undefined, AT, currencyOfTransfer);
        assert.deepEqual(exchange.debit, gbp(amountMinor));
        assert.ok(exchange.exchangeRate);
        assert.deepEqual(exchange.transfer, convertAmount(gbp(amountMinor), exchange.exchangeRate, currencyOfTransfer));
      }),
      { numRuns: 300 },
    );
  });

  it('the consent\'s rate decides, whichever currency is its unit: an Actual EUR-unit rate converts GBP into EUR by division', async () => {
    const quote = await rates.quote('EUR', 'GBP', AT);
    const terms = { rateType: 'Actual' as const, unitCurrency: 'EUR', targetCurrency: 'GBP', rate: quote.rate, contractIdentification: quote.contractIdentification, expiresAt: quote.expiresAt };
    const exchange = await debitOf(rates, gbp(10_000n), 'GBP', terms, AT, 'EUR');
    assert.deepEqual(exchange.debit, gbp(10_000n));
    assert.deepEqual(exchange.transfer, convertAmount(gbp(10_000n), terms, 'EUR'));
    assert.equal(exchange.exchangeRate, terms);
  });

  it('attack: an account in a third currency, or a consent rate that does not pair the two currencies, is refused (400 U002), nothing converted', async () => {
    for (const attempt of [
      // GBP instructed, EUR transferred, paid from a USD account.
      () => debitOf(rates, gbp(10_000n), 'USD', undefined, AT, 'EUR'),
      // The consent agreed GBP/USD; the transfer is EUR.
      async () => {
        const quote = await rates.quote('GBP', 'USD', AT);
        return debitOf(rates, gbp(10_000n), 'GBP', { rateType: 'Actual', unitCurrency: 'GBP', targetCurrency: 'USD', rate: quote.rate, contractIdentification: quote.contractIdentification, expiresAt: quote.expiresAt }, AT, 'EUR');
      },
    ]) {
      await assert.rejects(attempt(), (error: unknown) => isAppError(error) && error.code === InternationalPaymentErrors.RATE_NOT_FOR_ACCOUNT.code && error.status === 400);
    }
  });
});
