import type { AccessScope } from '../../modules/consents/index.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { accessScopeTexts } from './access-scope-texts.ts';
import { recurringPaymentDetails, type RecurringPaymentSummary } from './recurring-payment-details.ts';
import { paymentFileDetails, type PaymentFileSummary } from './payment-file-details.ts';
import { parseAmount } from '../../core/index.ts';
import { moneyText } from './money-text.ts';
import { accountIdentificationText } from './account-texts.ts';
import { accountAbout } from './account-about.ts';

export interface ConsentAccountOption {
  readonly id: string;
  readonly displayName: string;
  /** Type and masked number (`accountDescription`), shown under the name and linked as its description. */
  readonly description?: string | undefined;
  readonly preselected: boolean;
}

export interface PaymentSummary {
  readonly amount: string;
  readonly currency: string;
  readonly payee: string;
  readonly payeeAccount: string;
  /** The scheme of `payeeAccount` (OB `SchemeName`), to show a sort code and number apart. */
  readonly payeeScheme?: string | undefined;
  readonly reference: string | undefined;
  /** Scheduled payments and standing orders: when it pays (`paymentScheduleText`). */
  readonly when?: string | undefined;
}

export interface ConsentPageModel {
  readonly action: string;
  readonly tppLegalName: string;
  readonly clientName: string;
  /** What the consent lets the provider see (nothing, for a payment or a funds check). */
  readonly access: AccessScope;
  readonly expiresAt: Date | null;
  readonly accounts: readonly ConsentAccountOption[];
  /** Present for payment consents: shown, and bound to the authentication code (PSD2 RTS Art. 5). */
  readonly payment?: PaymentSummary | undefined;
  /** Present for recurring-payment (VRP) consents, with `payment`: the control parameters shown instead of one payment's. */
  readonly recurring?: RecurringPaymentSummary | undefined;
  /** Present for file payment consents, with `payment`: the whole file, shown instead of one payment. */
  readonly paymentFile?: PaymentFileSummary | undefined;
  /** Dynamic-linking binding of the payment shown; posted back and re-checked on approval. */
  readonly binding?: string | undefined;
  /** A confirmation-of-funds consent (CBPII): yes/no checks against one account, no data shown. */
  readonly fundsConfirmation?: boolean | undefined;
  readonly error?: string | undefined;
}

/** The wire decimal of a payment summary ("1234.50", "GBP") as the PSU reads it ("£1,234.50"). */
const money = (amount: string, currency: string) => moneyText(parseAmount(amount, currency), currency);

const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** The period of transactions shared, when the consent limits it. */
const transactionWindowDetails = ({ from, to }: AccessScope['window']) =>
  from || to ? html`<dt>Transactions</dt><dd>${from ? `from ${day(from)}` : 'from the earliest available'} ${to ? `to ${day(to)}` : 'to today'}</dd>` : '';

/** Who is asking, for exactly what, until when — and which accounts. Buttons are a fixed contract. */
export function consentPage(model: ConsentPageModel): string {
  const payment = model.payment;
  const recurring = payment ? model.recurring : undefined;
  const file = payment && !recurring ? model.paymentFile : undefined;
  const funds = !payment && model.fundsConfirmation === true;
  const asking = recurring
    ? 'to make payments from your account when it asks, within the limits below'
    : file
    ? `to make the ${file.numberOfPayments} payments of a file from your account`
    : payment ? 'to make a payment from your account' : funds ? 'to check whether your account has enough money for a payment' : 'to see information from your accounts';
  return page({
    title: recurring ? 'Allow recurring payments' : file ? 'Confirm your payment file' : payment ? 'Confirm your payment' : funds ? 'Allow funds checks' : 'Share your account information',
    body: html`<p class="who"><strong>${model.tppLegalName}</strong>${model.clientName !== model.tppLegalName ? html` (${model.clientName})` : ''} is asking ${asking}.</p>
${model.error ? html`<p class="error" role="alert">${model.error}</p>` : ''}
${
  recurring
    ? recurringPaymentDetails(recurring)
    : file
    ? paymentFileDetails(file)
    : payment
    ? html`<dl class="details">
<dt>Amount</dt><dd>${money(payment.amount, payment.currency)}</dd>
${payment.when ? html`<dt>When</dt><dd>${payment.when}</dd>` : ''}
<dt>Payee</dt><dd>${payment.payee}</dd>
<dt>Payee account</dt><dd>${accountIdentificationText(payment.payeeScheme, payment.payeeAccount)}</dd>
${payment.reference ? html`<dt>Reference</dt><dd>${payment.reference}</dd>` : ''}
</dl>`
    : html`${funds ? html`<p>They will only learn yes or no for an amount they ask about, never your balance.</p>` : html`<p>They will be able to see:</p>
<ul class="permissions">${accessScopeTexts(model.access).map((text) => html`<li>${text}</li>`)}</ul>`}
<dl class="details">
<dt>Access until</dt><dd>${model.expiresAt ? day(model.expiresAt) : 'you withdraw it'}</dd>
${transactionWindowDetails(model.access.window)}
</dl>`
}
<form method="post" action="${model.action}">
<fieldset>
<legend>${payment ? 'Pay from' : 'Choose the accounts to share'}</legend>
${model.accounts.map(
  // The label is the display name alone (DESIGN.md §3); type and masked number describe it.
  (account, i) => html`<div class="account-option"><label><input type="${payment ? 'radio' : 'checkbox'}" name="accounts" value="${account.id}"${account.preselected ? html` checked` : ''}${account.description ? html` aria-describedby="account-${String(i)}-about"` : ''}> ${account.displayName}</label>${account.description ? accountAbout(account.description, `account-${String(i)}-about`) : ''}</div>`,
)}
</fieldset>
${model.binding ? html`<input type="hidden" name="binding" value="${model.binding}">` : ''}
${payment ? html`<label for="otp">One-time code</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6">
${recurring
  ? html`<p>Your code confirms payments of up to ${recurring.maximumAmount} each, within the limits above, to ${recurring.payee || 'the payees the provider names'}.</p>`
  : file
  ? html`<p>Your code confirms these ${String(file.numberOfPayments)} payments totalling ${money(file.total, file.currency)}.</p>`
  : html`<p>Your code confirms this payment of ${money(payment.amount, payment.currency)} to ${payment.payee}${payment.when ? html` (${payment.when})` : ''}.</p>`}` : ''}
<div class="actions"><button class="primary" type="submit" name="decision" value="approve">Approve</button><button class="secondary" type="submit" name="decision" value="deny" formnovalidate>Deny</button></div>
</form>`,
  });
}
