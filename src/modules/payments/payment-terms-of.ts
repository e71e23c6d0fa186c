import type { Consent, PaymentSummary } from '../consents/index.ts';
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

/**
 * Who a payment under `consent` is between: the consent's TPP and (authorised) PSU, the debtor
 * account and how the TPP may be told it, and the creditor's account when it is one of the bank's.
 */
export function paymentPartiesOf(
  consent: Pick<Consent, 'id' | 'clientId' | 'psuId'>,
  debtorAccountId: string,
  debtor: PendingPayment['debtor'],
  creditorAccountId: string | null,
): Pick<PendingPayment, 'consentId' | 'clientId' | 'psuId' | 'debtorAccountId' | 'debtor' | 'creditorAccountId'> {
  return { consentId: consent.id, clientId: consent.clientId, psuId: consent.psuId!, debtorAccountId, debtor, creditorAccountId };
}
