import type { AccessScope } from '../../modules/consents/index.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { accessScopeTexts } from './access-scope-texts.ts';
import { accountAbout } from './account-about.ts';
import { recurringPaymentDetails, type RecurringPaymentSummary } from './recurring-payment-details.ts';

/** One of the PSU's accounts as the dashboard names it: its display name, and type with masked number. */
export interface AccessAccount {
  readonly name: string;
  readonly description: string | undefined;
}

export interface AccessEntry {
  readonly consentId: string;
  readonly tppName: string;
  readonly kind: string;
  /** What the consent lets the provider see (nothing, for a payment or a funds check). */
  readonly access: AccessScope;
  readonly accounts: readonly AccessAccount[];
  readonly since: Date;
  readonly until: Date | null;
  /** When it ended (revoked or expired), and why in the PSU's words; null while active. */
  readonly ended: Date | null;
  readonly status: string;
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
  /** In the PSU's words: Active, Authorised, or why it ended (`endReasonText`). */
  readonly status: string;
  readonly since: Date;
  /** When it was used, cancelled or expired; null while it is still authorised. */
  readonly ended: Date | null;
  readonly revocable: boolean;
}

const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

const accountList = (accounts: readonly AccessAccount[]) =>
  html`<ul class="accounts">${accounts.map((a) => html`<li>${a.name}${a.description ? accountAbout(a.description) : ''}</li>`)}</ul>`;

const paymentDetails = (entry: PaymentAccessEntry) =>
  entry.recurring ? recurringPaymentDetails(entry.recurring) : html`<dl class="details"><dt>Amount</dt><dd>${entry.amount}</dd><dt>Payee</dt><dd>${entry.payee}</dd></dl>`;

/**
 * Every provider with access: what it can see, since when, until when — and a way to stop it,
 * confirmed on a page of its own; then the history of access that has ended, and why.
 */
export function accessPage(model: { csrfToken: string; entries: readonly AccessEntry[]; payments?: readonly PaymentAccessEntry[]; notice?: string | undefined }): string {
  const active = model.entries.filter((entry) => entry.ended === null);
  const payments = (model.payments ?? []).filter((entry) => entry.ended === null);
  const endedAccess = model.entries.filter((entry) => entry.ended !== null);
  const endedPayments = (model.payments ?? []).filter((entry) => entry.ended !== null);
  return page({
    title: 'Connected apps',
    csrfToken: model.csrfToken,
    body: html`${model.notice ? html`<p class="who" role="status">${model.notice}</p>` : ''}
${
  active.length === 0
    ? html`<p>No app has access to your accounts.</p>`
    : active.map(
        (entry) => html`<section class="access" aria-label="${entry.tppName}">
<h2>${entry.tppName}</h2>
<dl class="details">
<dt>Can see</dt><dd><ul class="permissions">${accessScopeTexts(entry.access).map((text) => html`<li>${text}</li>`)}</ul></dd>
<dt>Accounts</dt><dd>${accountList(entry.accounts)}</dd>
<dt>Since</dt><dd>${day(entry.since)}</dd>
<dt>Until</dt><dd>${entry.until ? day(entry.until) : 'you stop it'}</dd>
</dl>
<form method="get" action="/psu/access/${entry.consentId}/stop"><button class="secondary" type="submit">Stop access for ${entry.tppName}</button></form>
</section>`,
      )
}
${
  payments.length > 0
    ? html`<h2>Payments you have allowed</h2>
${payments.map(
  (entry) => html`<section class="access" aria-label="${entry.what} by ${entry.tppName}">
<h3>${entry.what} by ${entry.tppName}</h3>
${paymentDetails(entry)}
<dl class="details">
${entry.recurring?.usage ? html`<dt>Used this period</dt><dd><ul class="limits">${entry.recurring.usage.map((u) => html`<li>${u}</li>`)}</ul></dd>` : ''}
<dt>Since</dt><dd>${day(entry.since)}</dd>
<dt>Status</dt><dd>${entry.status}</dd>
</dl>
${entry.revocable ? html`<form method="get" action="/psu/access/${entry.consentId}/stop"><button class="secondary" type="submit">Stop ${entry.what.toLowerCase()} by ${entry.tppName}</button></form>` : ''}
</section>`,
)}`
    : ''
}
${
  endedAccess.length + endedPayments.length > 0
    ? html`<section class="history" aria-labelledby="history"><h2 id="history">History</h2>
${endedAccess.map(
  (entry) => html`<section class="access ended" aria-label="Account access by ${entry.tppName}">
<h3>Account access by ${entry.tppName}</h3>
<dl class="details">
<dt>Could see</dt><dd><ul class="permissions">${accessScopeTexts(entry.access).map((text) => html`<li>${text}</li>`)}</ul></dd>
<dt>Accounts</dt><dd>${accountList(entry.accounts)}</dd>
<dt>Allowed</dt><dd>${day(entry.since)}</dd>
<dt>Ended</dt><dd>${day(entry.ended!)}</dd>
<dt>Why</dt><dd>${entry.status}</dd>
</dl>
</section>`,
)}
${endedPayments.map(
  (entry) => html`<section class="access ended" aria-label="${entry.what} by ${entry.tppName}">
<h3>${entry.what} by ${entry.tppName}</h3>
${paymentDetails(entry)}
<dl class="details">
<dt>Allowed</dt><dd>${day(entry.since)}</dd>
<dt>Ended</dt><dd>${day(entry.ended!)}</dd>
<dt>Why</dt><dd>${entry.status}</dd>
</dl>
</section>`,
)}
</section>`
    : ''
}
<p><a href="/psu/security">Sign-in and security</a></p>
<form method="post" action="/psu/logout"><input type="hidden" name="csrf" value="${model.csrfToken}"><button class="secondary" type="submit">Log out</button></form>`,
  });
}

/**
 * The step before stopping access (no JavaScript needed): what stopping means, and two buttons —
 * stop, or keep it. Only the post from this page revokes the consent.
 */
export function stopAccessPage(model: { csrfToken: string; consentId: string; tppName: string; recurringPayments: boolean }): string {
  const what = model.recurringPayments ? 'recurring payments' : 'access';
  return page({
    title: model.recurringPayments ? `Stop recurring payments by ${model.tppName}?` : `Stop access for ${model.tppName}?`,
    csrfToken: model.csrfToken,
    body: html`<p>${
      model.recurringPayments
        ? html`<strong>${model.tppName}</strong> will not be able to make any more payments from your account under this agreement. Payments already made are not affected.`
        : html`<strong>${model.tppName}</strong> will no longer be able to see your account information. Information it has already received is not deleted by this; ask ${model.tppName} about that.`
    }</p>
<p>You cannot undo this. To allow it again, you will need to start again from ${model.tppName}.</p>
<form method="post" action="/psu/access/${model.consentId}/revoke"><input type="hidden" name="csrf" value="${model.csrfToken}">
<div class="actions"><button class="danger" type="submit" name="decision" value="stop">Stop ${what}</button><button class="secondary" type="submit" name="decision" value="keep">Keep ${what}</button></div>
</form>`,
  });
}
