import type { AccountPermission } from '../../modules/consents/index.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { permissionText } from './permission-texts.ts';

export interface AccessEntry {
  readonly consentId: string;
  readonly tppName: string;
  readonly kind: string;
  readonly permissions: readonly AccountPermission[];
  readonly accounts: readonly string[];
  readonly since: Date;
  readonly until: Date | null;
}

const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** Every provider with access: what it can see, since when, until when — and a way to stop it. */
export function accessPage(model: { csrfToken: string; entries: readonly AccessEntry[]; notice?: string | undefined }): string {
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
<p><a href="/psu/security">Sign-in and security</a></p>`,
  });
}
