/**
 * A robust running baseline of one feature of one subject (docs/risk.md "Baselines"): an
 * exponentially weighted mean and variance over the windows the subject was active in, updated
 * with a value above mean + 4 sd clipped there and weighted less, so that an attack does not teach the baseline that it is
 * normal.
 */
export interface Baseline {
  readonly mean: number;
  readonly variance: number;
  /** Windows it has learnt from. */
  readonly n: number;
}

export const EMPTY_BASELINE: Baseline = { mean: 0, variance: 0, n: 0 };

/** Windows a baseline needs before its own spread is trusted; until then the floor alone is. */
export const WARM_WINDOWS = 30;
const CLIP_SD = 4;

/** The smallest spread each feature is judged against: counts of a few are never a deviation of many sd. */
export const SD_FLOOR: Readonly<Record<string, number>> = {
  calls: 5,
  reads: 5,
  distinctResources: 3,
  foreignIds: 1,
  maxRepeat: 2,
  failedBurst: 2,
  loginFailures: 1,
  distinctUsernames: 1,
};
const floorOf = (feature: string) => SD_FLOOR[feature] ?? 1;

/** How many floored standard deviations `value` is above (positive) or below the baseline. */
export function deviation(feature: string, baseline: Baseline, value: number): number {
  const sd = Math.max(Math.sqrt(baseline.variance), floorOf(feature));
  return (value - baseline.mean) / sd;
}

/**
 * The baseline after one more window (West's EWMA variance), learning `alpha` of it. A window a
 * rule fired on (`flagged`) teaches a young baseline nothing and a settled one a tenth as much: an
 * attack is not learnt as normal, a lasting change of a TPP's business still is, slowly.
 */
export function learn(feature: string, baseline: Baseline, value: number, alpha: number, flagged = false): Baseline {
  if (flagged && baseline.n < WARM_WINDOWS) return baseline;
  if (baseline.n === 0) return { mean: value, variance: 0, n: 1 };
  const ceiling = baseline.mean + CLIP_SD * Math.max(Math.sqrt(baseline.variance), floorOf(feature));
  const outlier = baseline.n >= WARM_WINDOWS && value > ceiling;
  const x = outlier ? ceiling : value;
  // An outlier is learnt at the ceiling and a quarter of the weight: a lasting change is still
  // learnt (a TPP that grows), an attack of a few windows barely moves the baseline.
  const rate = Math.max(alpha, 1 / (baseline.n + 1)) * (outlier ? 0.25 : 1) * (flagged ? 0.1 : 1);
  const diff = x - baseline.mean;
  const increment = rate * diff;
  return { mean: baseline.mean + increment, variance: (1 - rate) * (baseline.variance + diff * increment), n: baseline.n + 1 };
}
