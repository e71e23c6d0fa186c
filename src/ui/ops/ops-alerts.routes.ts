import type { FastifyInstance } from 'fastify';
import type { OpsAlert, OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { csrfField, dateTime, html, opsPage, sendOpsPage } from './ops-layout.ts';

/**
 * Anomaly alerts with their evidence; an operator resolves one, or undoes the automatic response
 * it applied (throttle, client suspension, forced re-authentication). Through the `OpsAlerts`
 * port, which the risk module provides; without it the page says alerts are not available.
 */
export async function opsAlertsRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { alerts, guard } = options;

  app.get<{ Querystring: { status?: string; subject?: string } }>('/ops/alerts', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const frame = (body: ReturnType<typeof html>) => sendOpsPage(reply, opsPage({ title: 'Alerts', operator: context.operator, csrf: context.session.csrf, body }));
    if (!alerts) return frame(html`<p>Anomaly alerts are not available: this deployment runs without the risk module.</p>`);
    const status = request.query.status === 'resolved' ? 'resolved' : request.query.status === 'all' ? undefined : 'open';
    const list = await alerts.list({ status, subjectId: request.query.subject?.trim() || undefined, limit: 200 });
    return frame(html`<form method="get" action="/ops/alerts" role="search"><label for="status">Status</label><select id="status" name="status">${(['open', 'resolved', 'all'] as const).map((s) => html`<option value="${s}" ${(status ?? 'all') === s ? html`selected` : ''}>${s}</option>`)}</select>
<label for="subject">Subject (TPP, PSU or source)</label><input id="subject" name="subject" type="search" value="${request.query.subject ?? ''}"><button type="submit">Filter</button></form>
${list.length === 0 ? html`<p>No alerts.</p>` : html`<table><thead><tr><th scope="col">Alert</th><th scope="col">Severity</th><th scope="col">Subject</th><th scope="col">Seen</th><th scope="col">Count</th><th scope="col">Status</th><th scope="col">Response</th></tr></thead>
<tbody>${list.map((a) => html`<tr><td><a href="/ops/alerts/${encodeURIComponent(a.id)}">${a.rule}</a></td><td><span class="severity ${a.severity}">${a.severity}</span></td><td>${a.subject.kind} <code>${a.subject.id}</code></td><td>${dateTime(a.firstSeen)} – ${dateTime(a.lastSeen)}</td><td>${a.count}</td><td>${a.status}</td><td>${responseText(a)}</td></tr>`)}</tbody></table>`}`);
  });

  app.get<{ Params: { id: string } }>('/ops/alerts/:id', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const alert = alerts && (await alerts.get(request.params.id));
    if (!alert) return sendOpsPage(reply, opsPage({ title: 'No such alert', operator: context.operator, csrf: context.session.csrf, body: html`<p><a href="/ops/alerts">All alerts</a></p>` }), 404);
    const csrf = context.session.csrf;
    return sendOpsPage(
      reply,
      opsPage({
        title: `Alert: ${alert.rule}`,
        operator: context.operator,
        csrf,
        body: html`<dl class="summary"><dt>Severity</dt><dd>${alert.severity}</dd><dt>Subject</dt><dd>${alert.subject.kind} <code>${alert.subject.id}</code></dd>
<dt>First seen</dt><dd>${dateTime(alert.firstSeen)}</dd><dt>Last seen</dt><dd>${dateTime(alert.lastSeen)}</dd><dt>Count</dt><dd>${alert.count}</dd><dt>Status</dt><dd>${alert.status}</dd><dt>Automatic response</dt><dd>${responseText(alert)}</dd></dl>
<h2>Evidence</h2>
<table><tbody>${Object.entries(alert.evidence).map(([name, value]) => html`<tr><th scope="row">${name}</th><td><code>${JSON.stringify(value)}</code></td></tr>`)}</tbody></table>
${alert.status === 'open' ? html`<form method="post" action="/ops/alerts/${encodeURIComponent(alert.id)}/resolve" class="action">${csrfField(csrf)}<button type="submit" class="primary">Resolve alert</button></form>` : ''}
${alert.response && !alert.response.undoneAt ? html`<form method="post" action="/ops/alerts/${encodeURIComponent(alert.id)}/undo" class="action">${csrfField(csrf)}<button type="submit" class="danger">Undo ${alert.response.action}</button></form>` : ''}`,
      }),
    );
  });

  for (const [path, action] of [
    ['resolve', 'resolve-alert'],
    ['undo', 'undo-alert-response'],
  ] as const) {
    app.post<{ Params: { id: string }; Body: { csrf?: string } }>(`/ops/alerts/:id/${path}`, async (request, reply) => {
      const context = await guard.signedIn(request, reply);
      if (!context) return reply;
      if (!guard.mayAct(reply, context, request.body?.csrf, 'operator', action)) return reply;
      if (!alerts) return reply.redirect('/ops/alerts', 303);
      const before = await alerts.get(request.params.id);
      if (!before) return reply.redirect('/ops/alerts', 303);
      const after = path === 'resolve' ? await alerts.resolve(before.id, context.operator.username) : await alerts.undoResponse(before.id, context.operator.username);
      guard.record(context.operator, {
        action,
        outcome: 'success',
        ...(before.subject.kind === 'tpp' ? { clientId: before.subject.id } : before.subject.kind === 'psu' ? { psuId: before.subject.id } : {}),
        details: { alert: before.id, rule: before.rule, subject: before.subject, ...(path === 'undo' ? { response: before.response?.action } : { status: after.status }) },
      });
      return reply.redirect(`/ops/alerts/${encodeURIComponent(before.id)}`, 303);
    });
  }
}

function responseText(alert: OpsAlert): string {
  if (!alert.response) return 'none';
  const { action, appliedAt, undoneAt, undoneBy } = alert.response;
  return undoneAt ? `${action}, undone ${undoneAt.toISOString()} by ${undoneBy ?? '?'}` : `${action} since ${appliedAt.toISOString()}`;
}
