import { accessScopeOf } from '../../modules/consents/index.ts';
import type { SigningBasketForPsu } from '../../modules/psu-authorisation/index.ts';
import { accessScopeTexts } from './access-scope-texts.ts';
import { accountIdentificationText } from './account-texts.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { moneyText } from './money-text.ts';
import { paymentScheduleText } from './payment-schedule-text.ts';

export interface SigningBasketPageModel {
  /** Where the form posts the decision. */
  readonly action: string;
  readonly tppLegalName: string;
  readonly clientName: string;
  readonly basket: SigningBasketForPsu;
  readonly error?: string | undefined;
}

const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const accountName = (account: { nickname?: string | null | undefined; name: string }) => account.nickname ?? account.name;

/** The total of the basket's payments, per currency ("€37.34", or "€12.00 and £5.00"). */
function totalText(basket: SigningBasketForPsu): string {
  const totals = new Map<string, bigint>();
  for (const { consent } of basket.members) if (consent.payment) totals.set(consent.payment.currency, (totals.get(consent.payment.currency) ?? 0n) + consent.payment.amountMinor);
  return [...totals].map(([currency, minor]) => moneyText(minor, currency)).join(' and ');
}

/**
 * One screen for a signing basket: every payment (amount, when, payee, payee account, reference,
 * the account it is paid from) and every consent (what it shares or checks, on which accounts,
 * until when), the total, and the one-time code that confirms them all (PSD2 RTS Art. 5: the
 * binding covers the total and each payee). Approve authorises every member together; Deny none.
 */
export function signingBasketPage(model: SigningBasketPageModel): string {
  const { basket } = model;
  const payments = basket.members.filter((member) => member.consent.payment);
  const consents = basket.members.filter((member) => !member.consent.payment);
  const payees = [...new Set(payments.map((member) => member.consent.payment!.creditorName))];
  const counted = (n: number, one: string) => `${String(n)} ${one}${n === 1 ? '' : 's'}`;
  return page({
    title: 'Authorise these requests together',
    body: html`<p class="who"><strong>${model.tppLegalName}</strong>${model.clientName !== model.tppLegalName ? html` (${model.clientName})` : ''} is asking you to authorise ${[payments.length ? counted(payments.length, 'payment') : '', consents.length ? counted(consents.length, 'consent') : ''].filter(Boolean).join(' and ')} at once.</p>
${model.error ? html`<p class="error" role="alert">${model.error}</p>` : ''}
${payments.map(({ consent, accounts }, i) => {
  const payment = consent.payment!;
  return html`<h2>Payment ${String(i + 1)}</h2>
<dl class="details">
<dt>Amount</dt><dd>${moneyText(payment.amountMinor, payment.currency)}</dd>
${payment.schedule ? html`<dt>When</dt><dd>${paymentScheduleText(payment.schedule)}</dd>` : ''}
<dt>Payee</dt><dd>${payment.creditorName}</dd>
<dt>Payee account</dt><dd>${accountIdentificationText(payment.creditorScheme, payment.creditorIdentification)}</dd>
${payment.reference ? html`<dt>Reference</dt><dd>${payment.reference}</dd>` : ''}
<dt>Pay from</dt><dd>${accounts.map(accountName).join(', ')}</dd>
</dl>`;
})}
${consents.map(({ consent, accounts }) => consent.kind === 'funds-confirmation'
  ? html`<h2>Allow funds checks</h2>
<p>They will only learn yes or no for an amount they ask about, never your balance.</p>
<dl class="details"><dt>Account</dt><dd>${accounts.map(accountName).join(', ')}</dd></dl>`
  : html`<h2>Share your account information</h2>
<ul class="permissions">${accessScopeTexts(accessScopeOf(consent)).map((text) => html`<li>${text}</li>`)}</ul>
<dl class="details">
<dt>Accounts</dt><dd>${accounts.map(accountName).join(', ')}</dd>
<dt>Access until</dt><dd>${consent.expiresAt ? day(consent.expiresAt) : 'you withdraw it'}</dd>
</dl>`)}
<form method="post" action="${model.action}">
<input type="hidden" name="binding" value="${basket.binding}">
<label for="otp">One-time code</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6">
<p>Your code confirms ${payments.length ? html`${counted(payments.length, 'payment')} totalling ${totalText(basket)} to ${payees.join(', ')}` : ''}${payments.length && consents.length ? ' and ' : ''}${consents.length ? counted(consents.length, 'consent') : ''}.</p>
<div class="actions"><button class="primary" type="submit" name="decision" value="approve">Approve</button><button class="secondary" type="submit" name="decision" value="deny" formnovalidate>Deny</button></div>
</form>`,
  });
}
