import { createHash } from 'node:crypto';
import type { PaymentSummary } from './consent-model.ts';

/**
 * PSD2 RTS Art. 5 (dynamic linking): the authentication code is specific to the amount and the
 * payee the payer agreed to. The binding is a digest of exactly those, plus the consent id, the
 * reference, for recurring payments (VRP) the validity and periodic limits shown with the largest
 * single amount, and for scheduled payments and standing orders their schedule; it is recorded when the PSU authenticates, and anything that changes what
 * was shown no longer matches it.
 */
export function scaBindingOf(consentId: string, payment: PaymentSummary): string {
  const canonical = JSON.stringify([
    consentId,
    payment.amountMinor.toString(),
    payment.currency,
    payment.creditorScheme,
    payment.creditorIdentification.replace(/\s+/g, '').toUpperCase(),
    payment.creditorName,
    // What else the PSU is shown and agrees to: the reference, and a VRP consent's control parameters.
    payment.reference,
    ...(payment.controls
      ? [
          payment.controls.validFrom?.toISOString() ?? null,
          payment.controls.validTo?.toISOString() ?? null,
          payment.controls.periodicLimits.map((limit) => [limit.periodType, limit.alignment, limit.amountMinor.toString()]),
        ]
      : []),
    // A scheduled payment's date, a standing order's schedule: when the money goes is shown too.
    ...(payment.schedule
      ? [
          [
            payment.schedule.firstPaymentAt.toISOString(),
            payment.schedule.frequency ?? null,
            payment.schedule.numberOfPayments ?? null,
            payment.schedule.finalPaymentAt?.toISOString() ?? null,
            // Moving a date off a day off changes when the money goes; absent, the binding is as it always was.
            ...(payment.schedule.businessDayRule ? [payment.schedule.businessDayRule] : []),
          ],
        ]
      : []),
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}
