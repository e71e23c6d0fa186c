import type { OperatorPasskey } from '../../modules/operators/index.ts';
import { csrfField, dateTime, html, type Html } from './ops-layout.ts';

/** An operator's passkeys as a table: name, added, last used, and a Remove button posting to `removeAction`. */
export function passkeysTable(passkeys: readonly OperatorPasskey[], csrf: string, removeAction: (passkey: OperatorPasskey) => string, empty: string): Html {
  if (passkeys.length === 0) return html`<p id="no-passkeys">${empty}</p>`;
  return html`<table><caption>Passkeys</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Added</th><th scope="col">Last used</th><th scope="col">Remove</th></tr></thead>
<tbody>${passkeys.map(
    (p) => html`<tr><td>${p.name}</td><td>${dateTime(p.createdAt)}</td><td>${p.lastUsedAt ? dateTime(p.lastUsedAt) : 'never'}</td>
<td><form method="post" action="${removeAction(p)}" class="inline">${csrfField(csrf)}<button class="danger" type="submit">Remove ${p.name}</button></form></td></tr>`,
  )}</tbody></table>`;
}
