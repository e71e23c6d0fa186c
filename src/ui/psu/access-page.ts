import type { AccountPermission } from '../../modules/consents/index.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { permissionText } from './permission-texts.ts';
import { recurringPaymentDetails, type RecurringPaymentSummary } from './recurring-payment-details.ts';

export interface AccessEntry {
  readonly consentId: string;
  readonly tppName: string;
  readonly kind: string;
  readonly permissions: readonly AccountPermission[];
  readonly accounts: readonly string[];
  readonly since: Date;
  readonly until: Date | null;
}

/** A payment consent on the dashboard: a one-off payment (history) or recurring payments (VRP), which the PSU can stop. */
export interface PaymentAccessEntry {
  readonly consentId: string;
  readonly tppName: string;
  /** What kind of payment, in the PSU's words ("Recurring payments", "Payment", …). */
  readonly what: string;
  /** One-off payments: the amount with its currency. */
  readonly amount: string;
  readonly payee: string;
  /** Recurring payments: their control parameters, and while active how much of each limit the current period has used. */
  readonly recurring?: (RecurringPaymentSummary & { readonly usage?: readonly string[] | undefined }) | undefined;
  /** In the PSU's words: Active, Used, Cancelled, Ended. */
  readonly status: string;
  readonly since: Date;
  readonly revocable: boolean;
}

const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** Every provider with access: what it can see, since when, until when — and a way to stop it. */
export function accessPage(model: { csrfToken: string; entries: readonly AccessEntry[]; payments?: readonly PaymentAccessEntry[]; notice?: string | undefined }): string {
  return page({
    title: 'Connected apps',
    csrfToken: model.csrfToken,
    body: html`${model.notice ? html`<p class="who" role="status">${model.notice}</p>` : ''}
${
  model.entries.length === 0
    ? html`<p>No app has access to your accounts.</p>`
    : model.entries.map(
        (entry) => html`<section class="access" aria-label="${entry.tppName}">
<h2>${entry.tppName}</h2>
<dl class="details">
<dt>Can see</dt><dd><ul class="permissions">${entry.permissions.map((p) => html`<li>${permissionText(p)}</li>`)}</ul></dd>
<dt>Accounts</dt><dd>${entry.accounts.join(', ')}</dd>
<dt>Since</dt><dd>${day(entry.since)}</dd>
<dt>Until</dt><dd>${entry.until ? day(entry.until) : 'you stop it'}</dd>
</dl>
<form method="post" action="/psu/access/${entry.consentId}/revoke"><input type="hidden" name="csrf" value="${model.csrfToken}"><button class="secondary" type="submit">Stop access for ${entry.tppName}</button></form>
</section>`,
      )
}
${
  model.payments && model.payments.length > 0
    ? html`<h2>Payments you have allowed</h2>
${model.payments.map(
  (entry) => html`<section class="access" aria-label="${entry.what} by ${entry.tppName}">
<h3>${entry.what} by ${entry.tppName}</h3>
${entry.recurring ? recurringPaymentDetails(entry.recurring) : html`<dl class="details"><dt>Amount</dt><dd>${entry.amount}</dd><dt>Payee</dt><dd>${entry.payee}</dd></dl>`}
<dl class="details">
${entry.recurring?.usage ? html`<dt>Used this period</dt><dd><ul class="limits">${entry.recurring.usage.map((u) => html`<li>${u}</li>`)}</ul></dd>` : ''}
<dt>Since</dt><dd>${day(entry.since)}</dd>
<dt>Status</dt><dd>${entry.status}</dd>
</dl>
${entry.revocable ? html`<form method="post" action="/psu/access/${entry.consentId}/revoke"><input type="hidden" name="csrf" value="${model.csrfToken}"><button class="secondary" type="submit">Stop ${entry.what.toLowerCase()} by ${entry.tppName}</button></form>` : ''}
</section>`,
)}`
    : ''
}
<p><a href="/psu/security">Sign-in and security</a></p>
<form method="post" action="/psu/logout"><input type="hidden" name="csrf" value="${model.csrfToken}"><button class="secondary" type="submit">Log out</button></form>`,
  });
}
