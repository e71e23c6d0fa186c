import type { FastifyInstance } from 'fastify';
import { AUDIT_KINDS, type AuditKind } from '../../modules/audit/index.ts';
import { isCalendarDay, parseInstant } from '../../platform/calendar/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { html, opsPage, sendOpsPage } from './ops-layout.ts';
import { opsAuditVerificationRoutes, verificationForm, verificationRunsTable } from './ops-audit-verification.routes.ts';
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
/** Verification runs listed on the audit page. */
const RECENT_VERIFICATIONS = 10;

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

/** Audit search (TPP, consent, PSU, interaction id, time) and the verifications of the chain. */
export async function opsAuditRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { audit, guard } = options;
  await app.register(opsAuditVerificationRoutes, options);

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
    const runs = await audit.verifications(RECENT_VERIFICATIONS);
    const field = (name: keyof AuditSearch, label: string) => html`<label for="${name}">${label}</label><input id="${name}" name="${name}" type="search" value="${q[name] ?? ''}">`;
    const next = page.next ? `/ops/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string' && v !== '')), cursor: page.next }).toString()}` : undefined;
    return sendOpsPage(
      reply,
      opsPage({
        title: 'Audit trail',
        operator: context.operator,
        csrf: context.session.csrf,
        body: html`<h2>Verification</h2>
${verificationForm(context.session.csrf)}
${verificationRunsTable(runs)}
<h2>Search</h2>
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
}
