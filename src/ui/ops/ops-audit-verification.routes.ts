import type { FastifyInstance } from 'fastify';
import { VerificationUnderWay, type VerificationRun, type VerificationRunDetail } from '../../modules/audit/index.ts';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsContext, OpsGuard } from './ops-guard.ts';
import { csrfField, dateTime, html, opsPage, sendOpsPage, type Html } from './ops-layout.ts';
import { utcDayOf } from '../../platform/calendar/index.ts';

const DAY_MS = 86_400_000;
/** How often a page of a run under way reloads. */
const REFRESH_SECONDS = 2;

const isUnderWay = (run: VerificationRun) => run.status === 'queued' || run.status === 'running';
const rangeOf = (run: VerificationRun) => `${run.from ?? 'the first day'} to ${run.to ?? 'the last day'}`;
const progressOf = (run: VerificationRun) => `${run.daysDone}${run.daysTotal === undefined ? '' : ` of ${run.daysTotal}`} day(s), ${run.records.toLocaleString('en-GB')} records`;

function outcomeOf(run: VerificationRun): Html {
  switch (run.status) {
    case 'queued':
      return html`<p role="status" data-testid="verification">Waiting for a worker to start it.</p>`;
    case 'running':
      return html`<p role="status" data-testid="verification">Verifying: ${progressOf(run)} so far.</p>${run.daysTotal ? html`<progress max="${String(run.daysTotal)}" value="${String(run.daysDone)}">${run.daysDone} of ${run.daysTotal}</progress>` : ''}`;
    case 'intact':
      return html`<p class="ok" role="status" data-testid="verification">Intact: every record and checkpoint from ${rangeOf(run)} verifies (${progressOf(run)}).</p>`;
    case 'broken':
      return html`<p class="error" role="alert" data-testid="verification">Broken: ${run.firstBreak?.kind ?? 'unknown'} in ${run.firstBreak?.partition ?? '?'} at record ${run.firstBreak?.seq.toString() ?? '?'} — ${run.firstBreak?.detail ?? ''}</p>`;
    case 'failed':
      return html`<p class="error" role="alert" data-testid="verification">The verification could not be completed: ${run.error ?? 'unknown error'}. Nothing is known of the chain from it: ask for it again (the workers' logs say more).</p>`;
  }
}

/** The latest verification runs, for the audit page. */
export function verificationRunsTable(runs: readonly VerificationRun[]): Html {
  if (runs.length === 0) return html`<p>No verification has been run yet.</p>`;
  return html`<table aria-label="Verifications"><thead><tr><th scope="col">Asked for</th><th scope="col">By</th><th scope="col">Days</th><th scope="col">Status</th><th scope="col">Progress</th></tr></thead>
<tbody>${runs.map((run) => html`<tr><td><a href="/ops/audit/verifications/${encodeURIComponent(run.id)}">${dateTime(run.requestedAt)}</a></td><td>${run.requestedBy}</td><td>${rangeOf(run)}</td><td class="${run.status === 'intact' ? 'ok' : run.status === 'broken' || run.status === 'failed' ? 'error' : ''}">${run.status}</td><td>${progressOf(run)}</td></tr>`)}</tbody></table>`;
}

/** The form that asks for a verification, the last seven days by default. */
export function verificationForm(csrf: string, now: Date = new Date()): Html {
  const to = utcDayOf(now);
  const from = utcDayOf(now.getTime() - 6 * DAY_MS);
  return html`<form method="post" action="/ops/audit/verify" class="action">${csrfField(csrf)}
<label for="verify-from">From day</label><input id="verify-from" name="from" type="date" value="${from}" required>
<label for="verify-to">To day</label><input id="verify-to" name="to" type="date" value="${to}" required>
<button type="submit">Verify the chain</button></form>`;
}

function daysTable(run: VerificationRunDetail): Html {
  if (run.days.length === 0) return html``;
  return html`<table aria-label="Days"><thead><tr><th scope="col">Day</th><th scope="col">Status</th><th scope="col">Records</th><th scope="col">Checkpoints</th><th scope="col">Break</th></tr></thead>
<tbody>${run.days.map((p) => html`<tr><td>${p.partition}</td><td>${p.status}</td><td>${p.records}</td><td>${p.checkpoints}</td><td>${p.break ? `${p.break.kind} at seq ${p.break.seq.toString()}: ${p.break.detail}` : ''}</td></tr>`)}</tbody></table>`;
}

const BACK = html`<p><a href="/ops/audit">Back to the audit trail</a></p>`;

/** A page of a verification (reloading every `refreshSeconds` while the run is under way). */
const verificationPage = (context: OpsContext, body: Html, refreshSeconds?: number) =>
  opsPage({ title: 'Audit trail verification', operator: context.operator, csrf: context.session.csrf, body, refreshSeconds });

/**
 * Verifications of the chain: asked for here, run by a worker (at a large bank's volume a day
 * takes long to hash), followed on a page of their own that reloads while the run is under way.
 */
export async function opsAuditVerificationRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { audit, guard } = options;

  app.post<{ Body: { csrf?: string; from?: string; to?: string } }>('/ops/audit/verify', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    if (!guard.mayAct(reply, context, request.body?.csrf, 'viewer', 'verify-audit-trail')) return reply;
    const from = request.body?.from?.trim() || undefined;
    const to = request.body?.to?.trim() || undefined;
    // A range that is not two calendar days in order is refused by the module (AUDIT.QUERY_INVALID: a 400 page).
    let id: string;
    try {
      id = await audit.requestVerification({ from, to }, context.operator.username);
    } catch (error) {
      if (!(error instanceof VerificationUnderWay)) throw error;
      guard.record(context.operator, { action: 'verify-audit-trail', outcome: 'failure', details: { from, to, reason: 'under-way' } });
      const follow = html`<p><a href="/ops/audit/verifications/${encodeURIComponent(error.underWay.id)}">Follow the verification under way</a></p>`;
      return sendOpsPage(reply, verificationPage(context, html`<p class="error" role="alert">${error.message}</p>${follow}${BACK}`), error.status);
    }
    guard.record(context.operator, { action: 'verify-audit-trail', outcome: 'success', details: { from, to, verificationId: id } });
    return reply.redirect(`/ops/audit/verifications/${encodeURIComponent(id)}`, 303);
  });

  app.get<{ Params: { id: string } }>('/ops/audit/verifications/:id', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const run = await audit.verification(request.params.id);
    if (!run) {
      return sendOpsPage(reply, verificationPage(context, html`<p class="error" role="alert">No such verification.</p>${BACK}`), 404);
    }
    const body = html`<p>Days ${rangeOf(run)}, asked for by ${run.requestedBy} at ${dateTime(run.requestedAt)}${run.finishedAt ? html`, finished at ${dateTime(run.finishedAt)}` : ''}.</p>
${outcomeOf(run)}
${daysTable(run)}
${BACK}`;
    return sendOpsPage(reply, verificationPage(context, body, isUnderWay(run) ? REFRESH_SECONDS : undefined));
  });
}
