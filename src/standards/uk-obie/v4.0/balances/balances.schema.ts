import type { Balances } from '../../../../core/index.ts';
import type { Exposed } from '../../../../modules/accounts/index.ts';
import { creditDebitOf, obAmount } from '../account-information/ob-amounts.ts';

/**
 * OB v4.0 `OBReadBalance1` entries of one account: the interim booked balance (`ITBD`, postings
 * so far today) and the interim available balance (`ITAV`, less pending card holds), each with the
 * arranged overdraft as a pre-agreed credit line that the figure does not include.
 */
export function toObBalances(balances: Exposed<Balances>) {
  const { currency } = balances;
  const creditLine =
    balances.overdraftLimitMinor > 0n ? { CreditLine: [{ Included: false, Type: 'Pre-Agreed', Amount: obAmount(balances.overdraftLimitMinor, currency) }] } : {};
  const entry = (type: 'ITBD' | 'ITAV', minor: bigint) => ({
    AccountId: balances.accountRef,
    CreditDebitIndicator: creditDebitOf(minor),
    Type: type,
    DateTime: balances.asOf.toISOString(),
    Amount: obAmount(minor, currency),
    ...creditLine,
  });
  return [entry('ITBD', balances.bookedMinor), entry('ITAV', balances.availableMinor)];
}
