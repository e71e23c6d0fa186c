import { isAppError, type AppError } from '../../../../platform/errors/index.ts';

/**
 * Whether a submission's failure is the payments module refusing it for good: one of the
 * modules' catalogued refusals (a 4xx: a debtor account the bank cannot debit, a consent no
 * longer usable, …), which every retry would meet again. A refusal that lifts by itself (408,
 * 429, anything with a retry delay) is not, nor is any other failure — the core or the database
 * out of reach, a timeout — which a later delivery may get past.
 */
export function isPermanentRefusal(error: unknown): error is AppError {
  if (!isAppError(error) || error.retryAfterSeconds !== undefined) return false;
  return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}
