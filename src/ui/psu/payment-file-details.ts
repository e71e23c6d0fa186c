import { parseAmount } from '../../core/index.ts';
import { html, type Html } from './html.ts';
import { moneyText } from './money-text.ts';

/** A file payment consent as the PSU is shown it: the whole file, authorised at once. */
export interface PaymentFileSummary {
  readonly numberOfPayments: number;
  /** The total of the file's payments (its control sum), the wire decimal in `currency`. */
  readonly total: string;
  readonly currency: string;
  /** The file's reference, when the provider gave one. */
  readonly reference: string | undefined;
  /** The account the provider asks to pay from, when it names one; otherwise the PSU chooses it. */
  readonly debtor: string | undefined;
}

/** What a payment file pays, as a definition list (consent page). */
export function paymentFileDetails(summary: PaymentFileSummary): Html {
  return html`<dl class="details">
<dt>Number of payments</dt><dd>${String(summary.numberOfPayments)}</dd>
<dt>Total</dt><dd>${moneyText(parseAmount(summary.total, summary.currency), summary.currency)}</dd>
<dt>Currency</dt><dd>${summary.currency}</dd>
${summary.reference ? html`<dt>File reference</dt><dd>${summary.reference}</dd>` : ''}
<dt>Paid from</dt><dd>${summary.debtor ?? 'The account you choose below'}</dd>
</dl>`;
}
