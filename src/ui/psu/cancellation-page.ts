import type { Consent } from '../../modules/consents/index.ts';
import { accountIdentificationText } from './account-texts.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { moneyText } from './money-text.ts';
import { paymentScheduleText } from './payment-schedule-text.ts';

export interface CancellationPageModel {
  /** Where the form posts the decision. */
  readonly action: string;
  readonly tppLegalName: string;
  readonly clientName: string;
  /** The payment consent whose payment order is to be stopped (it has a payment). */
  readonly consent: Consent;
  readonly error?: string | undefined;
}

/**
 * The PSU confirms, after both factors, that the provider may stop a payment of theirs still to
 * come: a scheduled payment, or a standing order's further payments. Shows the payment as the PSU
 * authorised it; Approve cancels it, Deny keeps it (the buttons are the pages' fixed contract).
 */
export function cancellationPage(model: CancellationPageModel): string {
  const payment = model.consent.payment!;
  const recurring = payment.schedule?.frequency !== undefined;
  const amount = moneyText(payment.amountMinor, payment.currency);
  return page({
    title: recurring ? 'Stop a standing order' : 'Cancel a payment',
    body: html`<p class="who"><strong>${model.tppLegalName}</strong>${model.clientName !== model.tppLegalName ? html` (${model.clientName})` : ''} is asking to ${recurring ? 'stop this standing order: no further payment will be made' : 'cancel this payment before it is made'}.</p>
${model.error ? html`<p class="error" role="alert">${model.error}</p>` : ''}
<dl class="details">
<dt>Amount</dt><dd>${amount}</dd>
${payment.schedule ? html`<dt>When</dt><dd>${paymentScheduleText(payment.schedule)}</dd>` : ''}
<dt>Payee</dt><dd>${payment.creditorName}</dd>
<dt>Payee account</dt><dd>${accountIdentificationText(payment.creditorScheme, payment.creditorIdentification)}</dd>
${payment.reference ? html`<dt>Reference</dt><dd>${payment.reference}</dd>` : ''}
</dl>
<form method="post" action="${model.action}">
<p>Approve to ${recurring ? 'stop the standing order' : 'cancel the payment'}; Deny to keep it as it is.</p>
<div class="actions"><button class="primary" type="submit" name="decision" value="approve">Approve</button><button class="secondary" type="submit" name="decision" value="deny" formnovalidate>Deny</button></div>
</form>`,
  });
}
