import { createHash } from 'node:crypto';
import type { PaymentSummary } from './consent-model.ts';

/**
 * PSD2 RTS Art. 5 (dynamic linking): the authentication code is specific to the amount and the
 * payee the payer agreed to. The binding is a digest of exactly those, plus the consent id; it is
 * recorded when the PSU authenticates, and anything that changes amount, currency or payee no
 * longer matches it.
 */
export function scaBindingOf(consentId: string, payment: PaymentSummary): string {
  const canonical = JSON.stringify([
    consentId,
    payment.amountMinor.toString(),
    payment.currency,
    payment.creditorScheme,
    payment.creditorIdentification.replace(/\s+/g, '').toUpperCase(),
    payment.creditorName,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}
