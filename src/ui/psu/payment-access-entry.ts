import type { Consent, ConsentKind } from '../../modules/consents/index.ts';
import type { VrpLimitUsage } from '../../modules/payments/index.ts';
import type { PaymentAccessEntry } from './access-page.ts';
import { recurringPaymentSummaryOf } from './recurring-payment-summary.ts';
import { moneyText } from './money-text.ts';
import { endReasonText } from './end-reason-text.ts';

/** Each payment kind in the PSU's words; a kind not named here reads as a payment. */
const KIND_TEXTS: Partial<Record<ConsentKind, string>> = {
  'domestic-payment': 'Payment',
  'domestic-scheduled-payment': 'Future-dated payment',
  'domestic-standing-order': 'Standing order',
  'international-payment': 'International payment',
  'international-scheduled-payment': 'Future-dated international payment',
  'international-standing-order': 'International standing order',
  'file-payment': 'Bulk payment',
  'domestic-vrp': 'Recurring payments',
};

const PERIOD_TEXTS: Record<string, string> = { Day: 'day', Week: 'week', Fortnight: 'fortnight', Month: 'month', 'Half-year': 'half-year', Year: 'year' };

/**
 * A payment consent as the access dashboard lists it: one-off payments as history, recurring
 * payments (VRP) with their controls, the use of each limit in the current period, and — while they
 * are Authorised — a way to stop them.
 */
export function paymentAccessEntry(consent: Consent, tppName: string, usage: readonly VrpLimitUsage[]): PaymentAccessEntry {
  const payment = consent.payment!;
  const money = (minor: bigint) => moneyText(minor, payment.currency);
  const recurring = recurringPaymentSummaryOf(consent);
  const vrp = consent.kind === 'domestic-vrp';
  return {
    consentId: consent.id,
    tppName,
    what: KIND_TEXTS[consent.kind] ?? 'Payment',
    amount: money(payment.amountMinor),
    payee: payment.creditorName,
    recurring: recurring
      ? {
          ...recurring,
          // Only while payments can still be made, and only against limits there are.
          usage:
            consent.status === 'authorised' && usage.length > 0
              ? usage.map((u) => `${money(u.usedMinor)} of ${money(u.limitMinor)} this ${u.alignment === 'Calendar' ? 'calendar ' : ''}${PERIOD_TEXTS[u.periodType] ?? u.periodType}`)
              : undefined,
        }
      : undefined,
    status: endReasonText(consent) ?? (vrp ? 'Active' : 'Authorised'),
    ended: consent.status === 'authorised' ? null : consent.statusUpdatedAt,
    since: consent.authorisedAt ?? consent.createdAt,
    // Only recurring payments can be stopped here; a one-off payment is made or its consent used.
    revocable: vrp && consent.status === 'authorised',
  };
}
