import type { DirectDebit } from '../../../../core/index.ts';
import type { Exposed } from '../../../../modules/accounts/index.ts';
import { obAmount } from '../account-information/ob-amounts.ts';
import { mandateStatus, toObFrequency } from '../account-information/ob-frequency.ts';

/** OB v4.0 `OBReadDirectDebit2` entry. */
export function toObDirectDebit(d: Exposed<DirectDebit>) {
  return {
    AccountId: d.accountRef,
    DirectDebitId: d.id,
    DirectDebitStatusCode: mandateStatus(d.status),
    MandateRelatedInformation: { MandateIdentification: d.mandateIdentification.slice(0, 35), Frequency: toObFrequency(d.frequency) },
    Name: d.originatorName.slice(0, 70),
    ...(d.previousPaymentAt ? { PreviousPaymentDateTime: d.previousPaymentAt.toISOString() } : {}),
    ...(d.previousPayment ? { PreviousPaymentAmount: obAmount(d.previousPayment.amountMinor, d.previousPayment.currency) } : {}),
  };
}
