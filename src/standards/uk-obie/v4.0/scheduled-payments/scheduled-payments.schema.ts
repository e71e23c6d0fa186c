import type { ScheduledPayment } from '../../../../core/index.ts';
import type { Exposed } from '../../../../modules/accounts/index.ts';
import { obAmount, obCashAccount } from '../account-information/ob-amounts.ts';
import type { DetailLevel } from '../../../../modules/consents/index.ts';

/** OB v4.0 `OBScheduledPayment3`; the payee's account only with `ReadScheduledPaymentsDetail`. */
export function toObScheduledPayment(p: Exposed<ScheduledPayment>, cluster: DetailLevel) {
  return {
    AccountId: p.accountRef,
    ScheduledPaymentId: p.id,
    ScheduledPaymentDateTime: p.scheduledAt.toISOString(),
    ScheduledType: p.scheduledType,
    ...(p.reference ? { Reference: p.reference.slice(0, 35) } : {}),
    InstructedAmount: obAmount(p.amount.amountMinor, p.amount.currency),
    ...(cluster === 'detail' ? { CreditorAccount: obCashAccount(p.creditorScheme, p.creditorIdentification, p.creditorName) } : {}),
  };
}
