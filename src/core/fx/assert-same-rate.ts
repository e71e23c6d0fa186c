import { AppError } from '../../platform/errors/index.ts';
import { parseRate, ratesEqual, type ExactRate } from './exact-rate.ts';
import type { RateQuote } from './exchange-rates.port.ts';
import { FxErrors } from './fx.errors.ts';

/** The contract names the same currencies, in the same direction, and exactly the same rate. */
export function assertSameRate(contract: RateQuote, expected: { unitCurrency: string; targetCurrency: string; rate: ExactRate }): void {
  if (
    contract.unitCurrency !== expected.unitCurrency ||
    contract.targetCurrency !== expected.targetCurrency ||
    !ratesEqual(parseRate(contract.rate), expected.rate)
  ) {
    throw new AppError(FxErrors.CONTRACT_MISMATCH);
  }
}
