import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/errors/index.ts';
import { isSupportedCurrency } from '../money.ts';
import { divideRates, exactRate, formatRate, parseRate, type ExactRate } from './exact-rate.ts';
import type { ExchangeRates, RateQuote } from './exchange-rates.port.ts';
import { FxErrors } from './fx.errors.ts';

/**
 * The sandbox table: what one GBP buys. Round, plausible figures, not market data; every other
 * pair is derived from them.
 */
export const SANDBOX_RATES: Readonly<Record<string, string>> = {
  EUR: '1.17',
  USD: '1.27',
  CHF: '1.12',
  JPY: '191.5',
  SEK: '13.4',
  NOK: '13.6',
  DKK: '8.73',
  PLN: '5.05',
  CZK: '29.3',
  HUF: '462',
  CAD: '1.74',
  AUD: '1.93',
  NZD: '2.11',
  KRW: '1720',
  ISK: '175',
  BHD: '0.479',
  KWD: '0.391',
  OMR: '0.489',
  JOD: '0.901',
  TND: '3.95',
};

export interface FixedRateExchangeOptions {
  /** Authenticates contract ids (HMAC-SHA-256), so any process holding the key honours them; at least 32 bytes. */
  readonly contractKey: Uint8Array;
  /** Keys contracts were authenticated with before the current one, still honoured while their contracts may be (a rotation's overlap). */
  readonly previousContractKeys?: readonly Uint8Array[];
  /** The currency the table is against; default GBP. */
  readonly base?: string;
  /** What one `base` buys of each other currency, as exact decimals; default `SANDBOX_RATES`. */
  readonly rates?: Readonly<Record<string, string>>;
  /** How long a quote holds; default 30 minutes (time for the PSU to authorise the consent). */
  readonly validityMs?: number;
  /** Digits a derived rate is published with, rounded half-even; default 10 (at most 15, see `formatRate`). */
  readonly significantDigits?: number;
}

// fx1_{unit}{target}_{rate}_{quotedAt ms}_{expiresAt ms}_{MAC}
const CONTRACT = /^fx1_([A-Z]{3})([A-Z]{3})_(\d+(?:\.\d+)?)_(\d{1,15})_(\d{1,15})_([0-9a-f]{32})$/;

/**
 * A fixed-rate `ExchangeRates` for the sandbox and small banks. Inverse and cross rates are derived
 * exactly from the table (EUR→USD is exactly 1.27 / 1.17) and then published at a fixed number of
 * significant digits, half-even; the published figure is the one applied. Contracts are stateless:
 * the contract id carries the pair, rate and validity under a MAC, so the rate a contract names is
 * honoured even after the table changes, by every instance, and a forged or altered id is refused.
 */
export class FixedRateExchange implements ExchangeRates {
  private readonly base: string;
  private readonly table = new Map<string, ExactRate>();
  private readonly validityMs: number;
  private readonly significantDigits: number;
  private readonly contractKey: Uint8Array;
  private readonly previousContractKeys: readonly Uint8Array[];

  constructor(options: FixedRateExchangeOptions) {
    this.previousContractKeys = options.previousContractKeys ?? [];
    for (const key of [options.contractKey, ...this.previousContractKeys]) if (key.byteLength < 32) throw new RangeError('contract keys must be at least 32 bytes');
    this.contractKey = options.contractKey;
    this.base = options.base ?? 'GBP';
    this.validityMs = options.validityMs ?? 30 * 60_000;
    this.significantDigits = options.significantDigits ?? 10;
    if (!Number.isInteger(this.significantDigits) || this.significantDigits < 1 || this.significantDigits > 15) {
      throw new RangeError('significantDigits must be an integer from 1 to 15');
    }
    if (!isSupportedCurrency(this.base)) throw new RangeError(`unsupported base currency ${this.base}`);
    this.table.set(this.base, exactRate(1n, 1n));
    for (const [currency, rate] of Object.entries(options.rates ?? SANDBOX_RATES)) {
      if (!isSupportedCurrency(currency)) throw new RangeError(`unsupported currency ${currency} in the rate table`);
      if (currency === this.base) throw new RangeError(`the rate table lists its base currency ${currency}`);
      this.table.set(currency, parseRate(rate));
    }
  }

  /** The exact rate from the table, before publication: what one `unitCurrency` buys of `targetCurrency`. */
  exactRate(unitCurrency: string, targetCurrency: string): ExactRate {
    const unit = this.table.get(unitCurrency);
    const target = this.table.get(targetCurrency);
    if (!unit || !target) throw new AppError(FxErrors.UNSUPPORTED_CURRENCY, { details: [{ message: `No rate for ${unit ? targetCurrency : unitCurrency}` }] });
    if (unitCurrency === targetCurrency) throw new AppError(FxErrors.SAME_CURRENCY);
    return divideRates(target, unit);
  }

  async quote(unitCurrency: string, targetCurrency: string, at: Date): Promise<RateQuote> {
    const rate = formatRate(this.exactRate(unitCurrency, targetCurrency), this.significantDigits);
    const quotedAt = new Date(at.getTime());
    const expiresAt = new Date(at.getTime() + this.validityMs);
    const body = `fx1_${unitCurrency}${targetCurrency}_${rate}_${quotedAt.getTime()}_${expiresAt.getTime()}`;
    return { unitCurrency, targetCurrency, rate, contractIdentification: `${body}_${this.mac(body)}`, quotedAt, expiresAt };
  }

  async findContract(contractIdentification: string): Promise<RateQuote | undefined> {
    const match = CONTRACT.exec(contractIdentification);
    if (!match) return undefined;
    const body = contractIdentification.slice(0, contractIdentification.lastIndexOf('_'));
    const given = Buffer.from(match[6]!, 'hex');
    const authentic = [this.contractKey, ...this.previousContractKeys].some((key) => timingSafeEqual(Buffer.from(this.mac(body, key), 'hex'), given));
    if (!authentic) return undefined;
    return {
      unitCurrency: match[1]!,
      targetCurrency: match[2]!,
      rate: match[3]!,
      contractIdentification,
      quotedAt: new Date(Number(match[4])),
      expiresAt: new Date(Number(match[5])),
    };
  }

  private mac(body: string, key: Uint8Array = this.contractKey): string {
    return createHmac('sha256', key).update(body).digest('hex').slice(0, 32);
  }
}
