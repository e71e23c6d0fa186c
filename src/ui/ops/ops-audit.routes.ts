import type { FastifyInstance } from 'fastify';
import { AUDIT_KINDS, type AuditKind } from '../../modules/audit/index.ts';
import { isCalendarDay, parseInstant } from '../../platform/calendar/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { csrfField, html, opsPage, sendOpsPage } from './ops-layout.ts';
import { auditRecordsTable } from './audit-records-table.ts';

interface AuditSearch {
  client?: string;
  organisation?: string;
  consent?: string;
  psu?: string;
  interaction?: string;
  kind?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

const DAY_MS = 86_400_000;

/**
 * A From or To field: a time with its offset, or a UTC day (as To, the whole of it). Blank: no
 * bound. Anything else is an error to show, never a bound silently dropped: an auditor who typed
 * a date the console could not read would otherwise be shown every record as if filtered.
 */
function boundOf(label: string, text: string | undefined, wholeDay: boolean): { at?: Date; error?: string } {
  const value = text?.trim();
  if (!value) return {};
  const at = parseInstant(value);
  if (!at) return { error: `${label}: "${value}" is not a time with its offset (2026-12-06T10:00:00Z) nor a day (2026-12-06)` };
  return { at: wholeDay && isCalendarDay(value) ? new Date(at.getTime() + DAY_MS) : at };
}

/** Audit search (TPP, consent, PSU, interaction id, time) and the verification of the chain. */
export async function opsAuditRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { audit, guard } = options;

  app.get<{ Querystring: AuditSearch }>('/ops/audit', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const q = request.query;
    const kind = (AUDIT_KINDS as readonly string[]).includes(q.kind ?? '') ? (q.kind as AuditKind) : undefined;
    const from = boundOf('From', q.from, false);
    const to = boundOf('To', q.to, true);
    const error = from.error ?? to.error ?? (from.at && to.at && from.at >= to.at ? 'From must be before To' : undefined);
    const query = {
      clientId: q.client?.trim() || undefined,
      organisationId: q.organisation?.trim() || undefined,
      consentId: q.consent?.trim() || undefined,
      psuId: q.psu?.trim() || undefined,
      interactionId: q.interaction?.trim() || undefined,
      kind,
      from: from.at,
      to: to.at,
    };
    const page = error ? { records: [], next: undefined } : await audit.search(query, 50, q.cursor || undefined);
    const field = (name: keyof AuditSearch, label: string) => html`<label for="${name}">${label}</label><input id="${name}" name="${name}" type="search" value="${q[name] ?? ''}">`;
    const next = page.next ? `/ops/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string' && v !== '')), cursor: page.next }).toString()}` : undefined;
    return sendOpsPage(
      reply,
      opsPage({
        title: 'Audit trail',
        operator: context.operator,
        csrf: context.session.csrf,
        body: html`<form method="post" action="/ops/audit/verify" class="action">${csrfField(context.session.csrf)}<button type="submit">Verify the chain (last 7 days)</button></form>
<form method="get" action="/ops/audit" role="search" class="search">
${field('client', 'TPP client id')}${field('organisation', 'TPP organisation id')}${field('consent', 'Consent id')}${field('psu', 'PSU id')}${field('interaction', 'Interaction id')}
<label for="kind">Kind</label><select id="kind" name="kind"><option value="">any</option>${AUDIT_KINDS.map((k) => html`<option value="${k}" ${kind === k ? html`selected` : ''}>${k}</option>`)}</select>
${field('from', 'From (time with offset, or day)')}${field('to', 'To (time with offset, or day, inclusive)')}
<button type="submit">Search</button></form>
${error ? html`<p class="error" role="alert">${error}</p>` : auditRecordsTable(page.records, 'Newest first')}
${next ? html`<p><a href="${next}">Older records</a></p>` : ''}`,
      }),
      error ? 400 : undefined,
    );
  });

  // Verification reads every record of the range: a form post (it costs), recorded like an action.
  app.post<{ Body: { csrf?: string } }>('/ops/audit/verify', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    if (!guard.mayAct(reply, context, request.body?.csrf, 'viewer', 'verify-audit-trail')) return reply;
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 6 * DAY_MS).toISOString().slice(0, 10);
    const verification = await audit.verify({ from, to });
    guard.record(context.operator, { action: 'verify-audit-trail', outcome: 'success', details: { from, to, ok: verification.ok, firstBreak: verification.firstBreak ? { ...verification.firstBreak, seq: verification.firstBreak.seq.toString() } : undefined } });
    return sendOpsPage(
      reply,
      opsPage({
        title: 'Audit trail verification',
        operator: context.operator,
        csrf: context.session.csrf,
        body: html`<p class="${verification.ok ? 'ok' : 'error'}" role="status" data-testid="verification">${verification.ok ? `Intact: every record and checkpoint from ${from} to ${to} verifies.` : `Broken: ${verification.firstBreak?.kind ?? 'unknown'} in ${verification.firstBreak?.partition ?? '?'} at seq ${verification.firstBreak?.seq.toString() ?? '?'} — ${verification.firstBreak?.detail ?? ''}`}</p>
<table><thead><tr><th scope="col">Day</th><th scope="col">Status</th><th scope="col">Records</th><th scope="col">Checkpoints</th><th scope="col">Break</th></tr></thead>
<tbody>${verification.partitions.map((p) => html`<tr><td>${p.partition}</td><td>${p.status}</td><td>${p.records}</td><td>${p.checkpoints}</td><td>${p.break ? `${p.break.kind} at seq ${p.break.seq.toString()}: ${p.break.detail}` : ''}</td></tr>`)}</tbody></table>
<p><a href="/ops/audit">Back to the search</a></p>`,
      }),
    );
  });
}
