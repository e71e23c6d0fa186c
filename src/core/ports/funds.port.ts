import type { Money } from '../money.ts';

/** Whether an account could pay an amount now, as the core sees it. */
export interface FundsChecker {
  /** True when the account is enabled, holds `amount`'s currency and its available balance incl. overdraft covers it. */
  checkFunds(accountId: string, amount: Money): Promise<boolean>;
}
