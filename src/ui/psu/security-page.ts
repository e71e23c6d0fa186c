import { html } from './html.ts';
import { page } from './layout.ts';

export interface SecurityPageModel {
  readonly name: string;
  readonly csrfToken: string;
  readonly passkeys: ReadonlyArray<{ credentialId: string; createdAt: Date; lastUsedAt: Date | null }>;
}

const when = (d: Date) => d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });

/** The PSU's sign-in methods: the authenticator app, and passkeys they can add. */
export function securityPage(model: SecurityPageModel): string {
  return page({
    title: 'Sign-in and security',
    scripts: ['webauthn.js', 'passkeys.js'],
    csrfToken: model.csrfToken,
    body: html`<p>Signed in as <strong>${model.name}</strong>.</p>
<h2>Passkeys</h2>
${
  model.passkeys.length === 0
    ? html`<p id="no-passkeys">You have no passkeys yet. A passkey lets you confirm with your fingerprint, face or device PIN instead of a one-time code.</p>`
    : html`<ul class="passkeys">${model.passkeys.map((p) => html`<li>Passkey added ${when(p.createdAt)}${p.lastUsedAt ? html`, last used ${when(p.lastUsedAt)}` : ''}</li>`)}</ul>`
}
<p><button class="primary" type="button" hidden data-passkey-register="/psu/security/passkeys">Add a passkey</button></p>
<noscript><p>Adding a passkey needs JavaScript. You can keep using your authenticator app.</p></noscript>
<form method="post" action="/psu/logout"><input type="hidden" name="csrf" value="${model.csrfToken}"><button class="secondary" type="submit">Log out</button></form>`,
  });
}
