import type { ExchangeRate } from './exchange-rates.port.ts';

/**
 * OB v4.0 `RateType` of `ExchangeRateInformation`, as the OB international payment usage examples
 * use it:
 * - `Actual`: the bank quotes its rate when the consent is created and guarantees it until
 *   `ExpirationDateTime` ("ASPSP provides actual (guaranteed) FX rate, for a limited time"); the
 *   payment order must be accepted before then.
 * - `Agreed`: the TPP names a rate contract pre-booked with the bank (`ContractIdentification`) and
 *   its `ExchangeRate`; both must match a contract the bank issued, else the request is refused.
 * - `Indicative`: the bank's rate now, for information; the rate applied is the bank's rate when
 *   the payment is executed.
 */
export type RateType = 'Actual' | 'Agreed' | 'Indicative';

/** The TPP's `ExchangeRateInformation` (OBExchangeRate1) in the neutral model. */
export interface ExchangeRateRequest {
  readonly rateType: RateType;
  /** OB `UnitCurrency`. */
  readonly unitCurrency: string;
  /** The other currency of the exchange; the payment knows it (the debtor account's, or `CurrencyOfTransfer`). */
  readonly targetCurrency: string;
  /**
   * OB `ExchangeRate`, a JSON number on the wire: pass it as the decimal text the facade received
   * (or `String(number)`, exact for up to 15 significant digits). Agreed only.
   */
  readonly exchangeRate?: string | undefined;
  /** OB `ContractIdentification`. Agreed only. */
  readonly contractIdentification?: string | undefined;
}

/**
 * The rate a consent carries, and the response's `ExchangeRateInformation` (OBExchangeRate2):
 * `rate` is `ExchangeRate`, `expiresAt` is `ExpirationDateTime`.
 */
export type ExchangeRateTerms =
  | (ExchangeRate & {
      readonly rateType: 'Actual' | 'Agreed';
      readonly contractIdentification: string;
      readonly expiresAt: Date;
    })
  | (ExchangeRate & {
      readonly rateType: 'Indicative';
      /** Absent on the consent; at execution, the reference of the rate applied. */
      readonly contractIdentification?: string | undefined;
      readonly expiresAt?: undefined;
    });
