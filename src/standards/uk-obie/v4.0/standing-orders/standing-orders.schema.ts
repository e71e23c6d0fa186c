import type { StandingOrder } from '../../../../core/index.ts';
import type { Exposed } from '../../../../modules/accounts/index.ts';
import { obAmount, obCashAccount, obRemittanceReference } from '../account-information/ob-amounts.ts';
import { mandateStatus, toObFrequency } from '../account-information/ob-frequency.ts';

/** OB v4.0 `OBStandingOrder6`; the payee's account only with `ReadStandingOrdersDetail`. */
export function toObStandingOrder(o: Exposed<StandingOrder>, cluster: 'Basic' | 'Detail') {
  const amount = obAmount(o.amount.amountMinor, o.amount.currency);
  return {
    AccountId: o.accountRef,
    StandingOrderId: o.id,
    ...(o.nextPaymentAt ? { NextPaymentDateTime: o.nextPaymentAt.toISOString(), NextPaymentAmount: amount } : {}),
    ...(o.lastPaymentAt ? { LastPaymentDateTime: o.lastPaymentAt.toISOString(), LastPaymentAmount: amount } : {}),
    StandingOrderStatusCode: mandateStatus(o.status),
    FirstPaymentAmount: amount,
    ...(o.finalPaymentAt ? { FinalPaymentAmount: amount } : {}),
    ...(cluster === 'Detail' ? { CreditorAccount: obCashAccount(o.creditorScheme, o.creditorIdentification, o.creditorName) } : {}),
    MandateRelatedInformation: {
      Frequency: toObFrequency(o.frequency),
      RecurringPaymentDateTime: o.firstPaymentAt.toISOString(),
      ...(o.finalPaymentAt ? { FinalPaymentDateTime: o.finalPaymentAt.toISOString() } : {}),
    },
    ...obRemittanceReference(o.reference),
  };
}
