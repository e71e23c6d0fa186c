import type { FastifyInstance } from 'fastify';
import type { AuditRecord } from '../../modules/audit/index.ts';
import type { OpsConsoleOptions, OpsTpp } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { csrfField, dateTime, html, opsPage, sendOpsPage } from './ops-layout.ts';
import { auditRecordsTable } from './audit-records-table.ts';
import { utcDayOf } from '../../platform/calendar/index.ts';

interface Traffic {
  calls: number;
  failures: number;
}

const today = () => utcDayOf(new Date());

/**
 * TPPs: the bank's directory organisations with their standing, certificates, registered clients
 * and today's traffic (insights); an operator suspends or reinstates one, which applies to its
 * next call on every instance (the directory's status, as `portico directory organisation-status`).
 */
export async function opsTppsRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { tpps, insights, audit, guard } = options;

  /** Today's calls and failures per client id, from the KPIs. */
  const trafficByClient = async (): Promise<Map<string, Traffic>> => {
    const byClient = new Map<string, Traffic>();
    for (const hour of (await insights.day(today())).hours) {
      for (const endpoint of hour.endpoints) {
        for (const { clientId, figures } of endpoint.byTpp) {
          const sum = byClient.get(clientId) ?? { calls: 0, failures: 0 };
          sum.calls += figures.calls;
          sum.failures += figures.businessFailures + figures.technicalFailures;
          byClient.set(clientId, sum);
        }
      }
    }
    return byClient;
  };
  const trafficOf = (clientIds: readonly string[], byClient: Map<string, Traffic>): Traffic =>
    clientIds.reduce((sum, id) => ({ calls: sum.calls + (byClient.get(id)?.calls ?? 0), failures: sum.failures + (byClient.get(id)?.failures ?? 0) }), { calls: 0, failures: 0 });

  app.get('/ops', async (request, reply) => ((await guard.signedIn(request, reply)) ? reply.redirect('/ops/tpps', 303) : reply));

  app.get<{ Querystring: { q?: string } }>('/ops/tpps', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const q = (request.query.q ?? '').trim().toLowerCase();
    const all = await tpps.list();
    const shown = q ? all.filter((tpp) => tpp.legalName.toLowerCase().includes(q) || tpp.id.toLowerCase().includes(q)) : all;
    const byClient = await trafficByClient();
    const rows = await Promise.all(shown.map(async (tpp) => ({ tpp, traffic: trafficOf((await tpps.clients(tpp.id)).map((c) => c.clientId), byClient) })));
    return sendOpsPage(
      reply,
      opsPage({
        title: 'TPPs',
        operator: context.operator,
        csrf: context.session.csrf,
        body: html`<form method="get" action="/ops/tpps" role="search"><label for="q">Find a TPP</label><input id="q" name="q" type="search" value="${request.query.q ?? ''}"><button type="submit">Search</button></form>
<table><caption>TPPs of the bank's directory (${shown.length})</caption>
<thead><tr><th scope="col">TPP</th><th scope="col">Status</th><th scope="col">Roles</th><th scope="col">Authorisation</th><th scope="col">Calls today</th><th scope="col">Failures today</th></tr></thead>
<tbody>${rows.map(({ tpp, traffic }) => html`<tr><td><a href="/ops/tpps/${encodeURIComponent(tpp.id)}">${tpp.legalName}</a><br><small>${tpp.id}</small></td><td><span class="status ${tpp.status.toLowerCase()}">${tpp.status}</span></td><td>${tpp.roles.join(', ')}</td><td>${tpp.ncaName} ${tpp.authorisationNumber}</td><td>${traffic.calls}</td><td>${traffic.failures}</td></tr>`)}</tbody></table>`,
      }),
    );
  });

  app.get<{ Params: { id: string } }>('/ops/tpps/:id', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const tpp = await tpps.get(request.params.id);
    if (!tpp) return sendOpsPage(reply, opsPage({ title: 'No such TPP', operator: context.operator, csrf: context.session.csrf, body: html`<p><a href="/ops/tpps">All TPPs</a></p>` }), 404);
    const [certificates, clients, byClient] = await Promise.all([tpps.certificates(tpp.id), tpps.clients(tpp.id), trafficByClient()]);
    // Recent calls: OB calls are recorded under the client, Berlin Group calls under the organisation.
    const pages = await Promise.all([audit.search({ organisationId: tpp.id }, 20), ...clients.map((client) => audit.search({ clientId: client.clientId }, 20))]);
    const recent: AuditRecord[] = pages
      .flatMap((page) => page.records)
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, 30);
    return sendOpsPage(
      reply,
      opsPage({
        title: tpp.legalName,
        operator: context.operator,
        csrf: context.session.csrf,
        body: html`${tppSummary(tpp)}
${statusForm(tpp, context.session.csrf)}
<h2>Certificates</h2>
${certificates.length === 0 ? html`<p>None issued by the sandbox QTSP.</p>` : html`<table><thead><tr><th scope="col">Serial</th><th scope="col">Usage</th><th scope="col">Subject</th><th scope="col">Expires</th><th scope="col">Revoked</th></tr></thead>
<tbody>${certificates.map((c) => html`<tr><td><code>${c.serialNumber}</code></td><td>${c.usage}</td><td>${c.subject}</td><td>${dateTime(c.notAfter)}</td><td>${dateTime(c.revokedAt)}</td></tr>`)}</tbody></table>`}
<h2>Clients</h2>
${clients.length === 0 ? html`<p>No registered client.</p>` : html`<table><thead><tr><th scope="col">Client id</th><th scope="col">Name</th><th scope="col">Software</th><th scope="col">Calls today</th><th scope="col">Failures today</th></tr></thead>
<tbody>${clients.map((c) => html`<tr><td><code>${c.clientId}</code></td><td>${c.clientName}</td><td>${c.softwareId}</td><td>${byClient.get(c.clientId)?.calls ?? 0}</td><td>${byClient.get(c.clientId)?.failures ?? 0}</td></tr>`)}</tbody></table>`}
<p><a href="/ops/performance?tpp=${clients[0]?.clientId ?? ''}">Performance of this TPP</a></p>
<h2>Recent calls and changes</h2>
${auditRecordsTable(recent, 'Newest first, from the audit trail')}`,
      }),
    );
  });

  app.post<{ Params: { id: string }; Body: { csrf?: string; status?: string; reason?: string } }>('/ops/tpps/:id/status', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const status = request.body?.status === 'Suspended' ? 'Suspended' : request.body?.status === 'Active' ? 'Active' : undefined;
    const action = status === 'Active' ? 'reinstate-tpp' : 'suspend-tpp';
    if (!guard.mayAct(reply, context, request.body?.csrf, 'operator', action)) return reply;
    const before = await tpps.get(request.params.id);
    if (!before || !status) return reply.redirect('/ops/tpps', 303);
    const after = await tpps.setStatus(before.id, status);
    guard.record(context.operator, { action, outcome: 'success', organisationId: before.id, details: { from: before.status, to: after.status, reason: String(request.body?.reason ?? '').slice(0, 500) } });
    return reply.redirect(`/ops/tpps/${encodeURIComponent(before.id)}`, 303);
  });
}

function tppSummary(tpp: OpsTpp) {
  return html`<dl class="summary">
<dt>Status</dt><dd><span class="status ${tpp.status.toLowerCase()}" data-testid="tpp-status">${tpp.status}</span></dd>
<dt>Organisation id</dt><dd><code>${tpp.id}</code></dd>
<dt>Roles</dt><dd>${tpp.roles.join(', ')}</dd>
<dt>Competent authority</dt><dd>${tpp.ncaName}, authorisation ${tpp.authorisationNumber} (${tpp.organizationIdentifier})</dd>
</dl>`;
}

/** Suspend (an Active TPP) or reinstate (a Suspended one); a Revoked TPP stays revoked. */
function statusForm(tpp: OpsTpp, csrf: string) {
  if (tpp.status === 'Revoked') return html`<p>This TPP is revoked in the directory; the console does not reinstate it.</p>`;
  const suspend = tpp.status === 'Active';
  return html`<form method="post" action="/ops/tpps/${encodeURIComponent(tpp.id)}/status" class="action">
${csrfField(csrf)}
<input type="hidden" name="status" value="${suspend ? 'Suspended' : 'Active'}">
<label for="reason">Reason (recorded)</label><input id="reason" name="reason" type="text" maxlength="500">
<button type="submit" class="${suspend ? 'danger' : 'primary'}">${suspend ? 'Suspend TPP' : 'Reinstate TPP'}</button>
</form>`;
}

