export interface RetryPolicy {
  /** Pause after the first failed attempt; each later one doubles it. */
  readonly baseMs: number;
  /** Longest pause between two attempts. */
  readonly maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 10_000, maxMs: 15 * 60_000 };

/** How long to wait before retrying after failed attempt number `attempt` (1-based): exponential, capped. */
export function retryDelayMs(attempt: number, policy: RetryPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  // Doubling past 2^40 overflows no sensible cap; stop early so huge attempt numbers stay finite.
  return Math.min(policy.baseMs * 2 ** Math.min(attempt - 1, 40), policy.maxMs);
}
