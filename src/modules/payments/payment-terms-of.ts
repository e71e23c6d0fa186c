import type { PaymentSummary } from '../consents/index.ts';
import type { PendingPayment } from './insert-pending-payment.ts';

/** What a payment pays as its consent's summary settled it: the instructed amount, the payee and the reference. */
export function paymentTermsOf(summary: PaymentSummary): Pick<PendingPayment, 'amountMinor' | 'currency' | 'creditor' | 'reference'> {
  return {
    amountMinor: summary.amountMinor,
    currency: summary.currency,
    creditor: { name: summary.creditorName, scheme: summary.creditorScheme, identification: summary.creditorIdentification },
    reference: summary.reference,
  };
}
