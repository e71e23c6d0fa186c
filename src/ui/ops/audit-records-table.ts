import type { AuditRecord } from '../../modules/audit/index.ts';
import { dateTime, html, type Html } from './ops-layout.ts';

/** Audit records as a table: when, what, how it ended and whom it concerned. */
export function auditRecordsTable(records: readonly AuditRecord[], caption: string): Html {
  if (records.length === 0) return html`<p>No records.</p>`;
  return html`<table><caption>${caption}</caption>
<thead><tr><th scope="col">At</th><th scope="col">Kind</th><th scope="col">Action</th><th scope="col">Outcome</th><th scope="col">Client</th><th scope="col">Consent</th><th scope="col">PSU</th><th scope="col">Interaction</th><th scope="col">Details</th></tr></thead>
<tbody>${records.map(
    (r) => html`<tr><td>${dateTime(r.at)}</td><td>${r.kind}</td><td>${r.action}</td><td>${r.outcome}</td><td>${r.clientId ?? ''}</td><td>${r.consentId ?? ''}</td><td>${r.psuId ?? ''}</td><td>${r.interactionId ?? ''}</td><td><code>${r.details.length > 300 ? `${r.details.slice(0, 300)}…` : r.details}</code></td></tr>`,
  )}</tbody></table>`;
}
