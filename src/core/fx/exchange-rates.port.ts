/**
 * A rate as OB expresses it (OBExchangeRate1 `UnitCurrency`: "in the example 1GBP = xxxCUR, the
 * unit currency is GBP"): one `unitCurrency` buys `rate` of `targetCurrency`.
 */
export interface ExchangeRate {
  readonly unitCurrency: string;
  readonly targetCurrency: string;
  /** Exact decimal, at most 15 significant digits (it goes on the wire as a JSON number). */
  readonly rate: string;
}

/** A rate the bank commits to: its contract reference and until when it holds. */
export interface RateQuote extends ExchangeRate {
  /** OB `ContractIdentification` (1–256 characters). */
  readonly contractIdentification: string;
  readonly quotedAt: Date;
  /** OB `ExpirationDateTime`: the rate holds while the time is before it. */
  readonly expiresAt: Date;
}

/**
 * Where the bank's exchange rates come from: its treasury or FX system in production, the fixed
 * table of `FixedRateExchange` in the sandbox. Like the core-banking port, an adapter replaces it.
 */
export interface ExchangeRates {
  /**
   * The bank's rate at `at` for one `unitCurrency` in `targetCurrency`, issued as a contract the
   * bank honours until `expiresAt`. Throws `FxErrors.UNSUPPORTED_CURRENCY` / `SAME_CURRENCY`.
   */
  quote(unitCurrency: string, targetCurrency: string, at: Date): Promise<RateQuote>;
  /**
   * A contract this source issued (a quote, or a rate the bank's dealers agreed with a TPP),
   * exactly as issued; undefined for anything it did not issue.
   */
  findContract(contractIdentification: string): Promise<RateQuote | undefined>;
}
