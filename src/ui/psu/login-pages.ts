import { html, type Html } from './html.ts';
import { page } from './layout.ts';

/** What each step of the login posts to, and why the previous attempt failed, if it did. */
export interface LoginStepModel {
  readonly action: string;
  readonly error?: string | undefined;
}

/** A step of the login: what it asks for, the error, its fields, then Continue or Cancel. */
function loginStep(model: LoginStepModel, intro: Html, fields: Html): Html {
  return html`${intro}
${model.error ? html`<p class="error" role="alert">${model.error}</p>` : ''}
<form method="post" action="${model.action}">
${fields}
<div class="actions"><button class="primary" type="submit">Continue</button><button class="secondary" type="submit" name="cancel" value="1" formnovalidate>Cancel</button></div>
</form>`;
}

export interface LoginPageModel extends LoginStepModel {
  readonly clientName: string;
  readonly username?: string | undefined;
}

/** Step 1: username and password. Labels are a fixed contract (DESIGN.md §3). */
export function loginPage(model: LoginPageModel): string {
  const intro = html`<p class="who"><strong>${model.clientName}</strong> has sent you to Portico Bank. Log in to continue.</p>`;
  const fields = html`<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required value="${model.username ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>`;
  return page({ title: 'Log in to continue', body: loginStep(model, intro, fields) });
}

export interface OneTimeCodePageModel extends LoginStepModel {
  /** Endpoint of the passkey ceremony, when the PSU has enrolled one. */
  readonly passkeyEndpoint?: string | undefined;
}

/** Step 2: the second factor (RFC 6238 code from the customer's authenticator). */
export function oneTimeCodePage(model: OneTimeCodePageModel): string {
  const intro = html`<p>Open your authenticator app and enter the 6-digit code for Portico Bank.</p>`;
  const fields = html`<label for="otp">One-time code</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>`;
  return page({
    title: 'Enter your one-time code',
    scripts: model.passkeyEndpoint ? ['webauthn.js', 'passkeys.js'] : [],
    body: html`${loginStep(model, intro, fields)}
${model.passkeyEndpoint ? html`<p><button class="secondary" type="button" hidden data-passkey-authenticate="${model.passkeyEndpoint}">Use a passkey instead</button></p>` : ''}`,
  });
}
