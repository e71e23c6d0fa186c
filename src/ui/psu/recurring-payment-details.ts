import { html, type Html } from './html.ts';

/** A recurring-payment (VRP) consent as the PSU is shown it: every control parameter they agree to. */
export interface RecurringPaymentSummary {
  /** The largest single payment, formatted with its currency. */
  readonly maximumAmount: string;
  /** One text per periodic limit (`periodicLimitText`). */
  readonly limits: readonly string[];
  /** Empty when the provider names the payee of each payment. */
  readonly payee: string;
  readonly payeeAccount: string;
  readonly reference: string | undefined;
  readonly validFrom: Date | null;
  readonly validTo: Date | null;
}

const when = (d: Date) => d.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' });

/** The control parameters of a recurring-payment consent, as a definition list (consent page and dashboard). */
export function recurringPaymentDetails(summary: RecurringPaymentSummary): Html {
  return html`<dl class="details">
<dt>Largest single payment</dt><dd>${summary.maximumAmount}</dd>
<dt>Limits</dt><dd>${summary.limits.length === 0 ? 'No limit per period' : html`<ul class="limits">${summary.limits.map((limit) => html`<li>${limit}</li>`)}</ul>`}</dd>
<dt>Payee</dt><dd>${summary.payee || 'Whoever the provider names for each payment'}</dd>
${summary.payee ? html`<dt>Payee account</dt><dd>${summary.payeeAccount}</dd>` : ''}
${summary.reference ? html`<dt>Reference</dt><dd>${summary.reference}</dd>` : ''}
<dt>From</dt><dd>${summary.validFrom ? when(summary.validFrom) : 'Now'}</dd>
<dt>Until</dt><dd>${summary.validTo ? when(summary.validTo) : 'you cancel them'}</dd>
</dl>`;
}
