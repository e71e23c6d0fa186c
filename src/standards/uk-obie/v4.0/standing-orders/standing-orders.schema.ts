import type { Money, StandingOrder } from '../../../../core/index.ts';
import type { Exposed } from '../../../../modules/accounts/index.ts';
import { obAmount, obCashAccount, obRemittanceReference } from '../account-information/ob-amounts.ts';
import { mandateStatus, toObFrequency } from '../account-information/ob-frequency.ts';
import type { DetailLevel } from '../../../../modules/consents/index.ts';

/** OB v4.0 `OBStandingOrder6`; the payee's account only with `ReadStandingOrdersDetail`. */
export function toObStandingOrder(o: Exposed<StandingOrder>, cluster: DetailLevel) {
  // Each payment's own amount where the order has one, else the order's amount.
  const amountOf = (own: Money | undefined) => obAmount((own ?? o.amount).amountMinor, (own ?? o.amount).currency);
  return {
    AccountId: o.accountRef,
    StandingOrderId: o.id,
    ...(o.nextPaymentAt ? { NextPaymentDateTime: o.nextPaymentAt.toISOString(), NextPaymentAmount: amountOf(o.nextAmount) } : {}),
    ...(o.lastPaymentAt ? { LastPaymentDateTime: o.lastPaymentAt.toISOString(), LastPaymentAmount: amountOf(o.lastAmount) } : {}),
    StandingOrderStatusCode: mandateStatus(o.status),
    FirstPaymentAmount: amountOf(o.firstAmount),
    ...(o.finalPaymentAt ? { FinalPaymentAmount: amountOf(o.finalAmount) } : {}),
    ...(cluster === 'detail' ? { CreditorAccount: obCashAccount(o.creditorScheme, o.creditorIdentification, o.creditorName) } : {}),
    MandateRelatedInformation: {
      Frequency: toObFrequency(o.frequency),
      RecurringPaymentDateTime: o.firstPaymentAt.toISOString(),
      ...(o.finalPaymentAt ? { FinalPaymentDateTime: o.finalPaymentAt.toISOString() } : {}),
    },
    ...obRemittanceReference(o.reference),
  };
}
